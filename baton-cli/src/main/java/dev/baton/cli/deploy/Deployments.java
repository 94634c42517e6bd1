package dev.baton.cli.deploy;

import dev.baton.BatonException;
import dev.baton.cli.Cli;
import dev.baton.cli.migrate.ConsoleProgress;
import dev.baton.deploy.Command;
import dev.baton.deploy.DeployLog;
import dev.baton.deploy.Deployer;
import dev.baton.deploy.EventSink;
import dev.baton.deploy.Host;
import dev.baton.deploy.LocalHost;
import dev.baton.deploy.Server;
import dev.baton.deploy.notify.HttpNotifier;
import dev.baton.deploy.notify.Notifier;
import dev.baton.deploy.ssh.SshSettings;
import dev.baton.proxy.RouterSettings;
import dev.baton.deploy.ServiceRuntime;
import dev.baton.deploy.config.HostSpec;
import dev.baton.deploy.runtime.DockerRuntime;
import dev.baton.deploy.runtime.HostProcessRuntime;
import dev.baton.deploy.ssh.SshHost;
import dev.baton.deploy.Migrator;
import dev.baton.deploy.StateFiles;
import dev.baton.deploy.TrafficRouter;
import dev.baton.deploy.config.DeployConfig;
import dev.baton.deploy.config.DeployConfigReader;
import dev.baton.deploy.migrator.BuiltinMigrator;
import dev.baton.deploy.migrator.CommandMigrator;
import dev.baton.deploy.router.BuiltinRouter;
import dev.baton.deploy.router.NginxRouter;
import dev.baton.deploy.runtime.ProcessRuntime;
import dev.baton.migrate.MigrationEngine;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Wires the deploy commands: config to ports (local host, process runtime, built-in router, migrator). */
public final class Deployments {
    private Deployments() {}

    public static DeployConfig config(Cli cli, String file) {
        return DeployConfigReader.read(cli.resolve(file), cli.env());
    }

    public static Deployer deployer(DeployConfig config, List<EventSink> sinks, PrintWriter progress, boolean verbose) {
        List<Server> servers = servers(config);
        Host first = servers.get(0).host();
        List<Notifier> notifiers = config.notices().stream().map(n -> (Notifier) (n.kind().equals("ntfy")
                ? HttpNotifier.ntfy(n.uri(), n.headers()) : HttpNotifier.webhook(n.uri(), n.headers()))).toList();
        return new Deployer(config, servers, log -> migrator(config, first, log, progress, verbose), sinks, notifiers);
    }

    /** A server per entry of hosts: (this machine when there is none), with its host, runtime and router. */
    public static List<Server> servers(DeployConfig config) {
        List<Server> out = new ArrayList<>();
        for (HostSpec h : config.hosts()) {
            Host host;
            ServiceRuntime runtime;
            if (h.local()) {
                host = new LocalHost();
                runtime = config.docker() != null ? new DockerRuntime(host, config.app(), config.docker(),
                        config.stateDir().toString(), h.bind()) : new ProcessRuntime(config.stateDir());
            } else {
                SshSettings ssh = config.ssh();
                if (h.sshPort() != null) {
                    ssh = ssh.withPort(h.sshPort());
                }
                host = new SshHost(h.name(), h.address(), ssh);
                String dir = h.dir() != null ? h.dir() : config.remoteDir();
                runtime = config.docker() != null ? new DockerRuntime(host, config.app(), config.docker(), dir, h.bind())
                        : new HostProcessRuntime(host, dir, h.bind());
            }
            out.add(new Server(h.name(), host, runtime, router(config, h, host), h.bind()));
        }
        return out;
    }

    /** The step list on the console. */
    public static EventSink stepPrinter(PrintWriter err) {
        return new StepPrinter(err, System.console() != null);
    }

    static TrafficRouter router(DeployConfig config, HostSpec h, Host host) {
        if (config.nginx() != null) {
            RouterSettings r = config.router();
            if (h.listen() != null) {
                r = new RouterSettings(h.listen(), r.admin(), r.token(), r.routes(), r.stateFile(), r.initialColour());
            }
            return new NginxRouter(config.app(), r, h.nginx() != null ? h.nginx() : config.nginx(), host, h.bind());
        }
        return new BuiltinRouter(config.router(), () -> launchRouter(config));
    }

    static Migrator migrator(DeployConfig config, Host host, DeployLog log, PrintWriter progress, boolean verbose) {
        var m = config.migrations();
        if (m.engine().equals("none")) {
            return null;
        }
        if (m.engine().equals("command")) {
            Path dir = host instanceof LocalHost ? config.dir() : null; // on a server: its login folder
            Command up = new Command(m.command(), Map.of(), dir, Command.DEFAULT_TIMEOUT);
            Command down = m.downCommand().isEmpty() ? null : new Command(m.downCommand(), Map.of(), dir, Command.DEFAULT_TIMEOUT);
            return new CommandMigrator(host, up, down, line -> log.line("  " + line), config.app());
        }
        var settings = m.settings(true, config.dir().resolve("migrations"), config.logDir());
        ConsoleProgress console = new ConsoleProgress(progress, verbose, "      ");
        return new BuiltinMigrator(new MigrationEngine(settings, console), m.verifyTables());
    }

    /**
     * Starts {@code baton proxy --config <file>} in the background, in a session of its own so it
     * outlives this command; its output goes to {@code <state>/logs/router.log}, its pid to
     * {@code <state>/run/router.pid}.
     */
    static void launchRouter(DeployConfig config) {
        List<String> argv = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            argv.add("/usr/bin/setsid");
        }
        argv.add(ProcessHandle.current().info().command().orElse("java"));
        argv.add("-XX:+UseSerialGC");
        argv.add("-cp");
        argv.add(System.getProperty("java.class.path"));
        argv.add("dev.baton.cli.Main");
        argv.addAll(List.of("proxy", "--config", config.file().toString()));
        Path log = config.logDir().resolve("router.log");
        try {
            StateFiles.ensureDir(config.logDir());
            StateFiles.ensureFile(log);
            Process p = new ProcessBuilder(argv).directory(config.dir().toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            long started = p.info().startInstant().map(i -> i.toEpochMilli()).orElse(0L);
            StateFiles.writeAtomically(config.stateDir().resolve("run").resolve("router.pid"), p.pid() + " " + started + "\n");
        } catch (IOException e) {
            throw BatonException.failed("cannot start the router (" + String.join(" ", argv) + "): " + e.getMessage(), e);
        }
    }
}
