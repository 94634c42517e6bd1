package dev.baton.deploy;

import dev.baton.deploy.config.DeployConfig;
import dev.baton.deploy.config.DockerSettings;
import dev.baton.deploy.config.HostSpec;
import dev.baton.deploy.config.MigrationsConfig;
import dev.baton.deploy.config.NotifySpec;
import dev.baton.deploy.config.SshSettings;
import dev.baton.deploy.local.LocalHost;
import dev.baton.deploy.lock.FileDeployLock;
import dev.baton.deploy.lock.PostgresDeployLock;
import dev.baton.deploy.migrator.BuiltinMigrator;
import dev.baton.deploy.migrator.CommandMigrator;
import dev.baton.deploy.migrator.LintCache;
import dev.baton.deploy.notify.HttpNotifier;
import dev.baton.deploy.pipeline.EventSink;
import dev.baton.deploy.pipeline.Server;
import dev.baton.deploy.port.Command;
import dev.baton.deploy.port.DeployLock;
import dev.baton.deploy.port.Host;
import dev.baton.deploy.port.Migrator;
import dev.baton.deploy.port.Notifier;
import dev.baton.deploy.port.ServiceRuntime;
import dev.baton.deploy.port.TrafficRouter;
import dev.baton.deploy.router.BuiltinRouter;
import dev.baton.deploy.router.RouterLauncher;
import dev.baton.deploy.router.NginxRouter;
import dev.baton.deploy.runtime.DockerRuntime;
import dev.baton.deploy.runtime.HostProcessRuntime;
import dev.baton.deploy.runtime.ProcessRuntime;
import dev.baton.deploy.ssh.SshHost;
import dev.baton.deploy.state.DeployLog;
import dev.baton.migrate.DatabaseUrl;
import dev.baton.migrate.MigrationEngine;
import dev.baton.migrate.MigrationListener;
import dev.baton.proxy.RouterSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Chooses the adapters for a baton.yml: which host, runtime and router each server gets, which
 * deploy lock, migrator and notifiers. The one place that names adapter classes; the steps see
 * only the ports.
 */
public final class Wiring {
    private Wiring() {}

    /**
     * A deployer for the config.
     *
     * @param routerLauncher starts the built-in router when it is not running (the CLI runs {@code baton proxy})
     * @param progress hears the built-in migration engine's progress
     * @param sinks where events go besides the deploy log (the console)
     * @param lints earlier lints' verdicts (the user's cache folder)
     */
    public static Deployer deployer(DeployConfig config, RouterLauncher routerLauncher, MigrationListener progress,
                                    List<EventSink> sinks, LintCache lints) {
        List<Server> servers = servers(config, routerLauncher);
        Host first = servers.get(0).host();
        Optional<ServiceRuntime> shipFrom = config.docker() != null && config.docker().shipOverSsh()
                ? Optional.of(new DockerRuntime(new LocalHost(), config.app(), config.docker(), config.stateDir().toString(), "127.0.0.1"))
                : Optional.empty();
        return new Deployer(config, new Deployer.Ports(servers, new LocalHost(), () -> lock(config),
                log -> migrator(config, first, log, progress, lints), notifiers(config), shipFrom), sinks);
    }

    /** A server per entry of hosts: (this machine when there is none), with its host, runtime and router. */
    public static List<Server> servers(DeployConfig config, RouterLauncher routerLauncher) {
        List<Server> out = new ArrayList<>();
        for (HostSpec h : config.hosts()) {
            Host host;
            String dir;
            if (h.local()) {
                host = new LocalHost();
                dir = config.stateDir().toString();
            } else {
                SshSettings ssh = config.ssh();
                if (h.sshPort() != null) {
                    ssh = ssh.withPort(h.sshPort());
                }
                host = new SshHost(h.name(), h.address(), ssh);
                dir = h.dir() != null ? h.dir() : config.remoteDir();
            }
            ServiceRuntime runtime = runtime(config, config.runtimeKind(), h, host, dir);
            Function<List<String>, ServiceRuntime> runtimes = kind -> kind.equals(config.runtimeKind()) ? runtime
                    : runtime(config, kind, h, host, dir);
            out.add(new Server(h.name(), host, runtime, router(config, h, host, routerLauncher), h.bind(), runtimes));
        }
        return out;
    }

    /**
     * The runtime of {@code kind} ({@link DeployConfig#runtimeKind()}) on a host: today's, or the one a
     * colour was started by before baton.yml's {@code runtime:} changed, which is what stops it.
     */
    private static ServiceRuntime runtime(DeployConfig config, List<String> kind, HostSpec h, Host host, String dir) {
        if (kind.get(0).equals("docker") && kind.size() > 2) {
            DockerSettings docker = config.docker() != null && config.docker().cli().equals(kind.get(2)) ? config.docker()
                    : new DockerSettings(kind.get(2), kind.subList(3, kind.size()), List.of(), null, false);
            return new DockerRuntime(host, kind.get(1), docker, dir, h.bind()); // the app named its containers then
        }
        return h.local() ? new ProcessRuntime(config.stateDir(), host) : new HostProcessRuntime(host, dir, h.bind());
    }

    /**
     * One deploy per app at a time: a PostgreSQL advisory lock when the app has a database (so
     * deploys from different machines exclude each other), else an OS lock in the state folder.
     */
    public static DeployLock lock(DeployConfig config) {
        if (config.lockUrl() != null) {
            return new PostgresDeployLock(config.app(), config.lockUrl(), config.migrations().user(),
                    config.migrations().password());
        }
        return new FileDeployLock(config.stateDir());
    }

    static TrafficRouter router(DeployConfig config, HostSpec h, Host host, RouterLauncher routerLauncher) {
        if (config.nginx() != null) {
            RouterSettings r = config.router();
            if (h.listen() != null) {
                r = r.listeningOn(h.listen());
            }
            return new NginxRouter(config.app(), r, h.nginx() != null ? h.nginx() : config.nginx(), host, h.bind());
        }
        return new BuiltinRouter(config.router(), config.routerStartedByBaton() ? routerLauncher : null);
    }

    /** The app's migrator, run from {@code host}; empty when it has no migrations (engine: none). */
    public static Optional<Migrator> migrator(DeployConfig config, Host host, DeployLog log, MigrationListener progress,
                                              LintCache lints) {
        var m = config.migrations();
        if (m.engine() == MigrationsConfig.Engine.NONE) {
            return Optional.empty();
        }
        if (m.engine() == MigrationsConfig.Engine.COMMAND) {
            Path dir = host.commandFolder(config.dir()); // on a server: its login folder
            Command up = new Command(m.command(), Map.of(), dir, Command.DEFAULT_TIMEOUT);
            Command down = m.downCommand().isEmpty() ? null : new Command(m.downCommand(), Map.of(), dir, Command.DEFAULT_TIMEOUT);
            return Optional.of(new CommandMigrator(host, up, down, line -> log.line("  " + line), config.app(), schema(config)));
        }
        var settings = m.settings(true, config.dir().resolve("migrations"), config.logDir());
        return Optional.of(new BuiltinMigrator(new MigrationEngine(settings, progress), m.verifyTables(),
                m.shadowUrl() == null ? null : DatabaseUrl.parse(m.shadowUrl(), null, null), lints));
    }

    /** What Baton reads itself of a database that a command migrates. */
    static CommandMigrator.Schema schema(DeployConfig config) {
        var m = config.migrations();
        return m.url() == null ? CommandMigrator.Schema.NONE
                : new CommandMigrator.Schema(DatabaseUrl.parse(m.url(), m.user(), m.password()), m.verifyTables(), m.revision());
    }

    public static List<Notifier> notifiers(DeployConfig config) {
        List<Notifier> out = new ArrayList<>();
        for (NotifySpec n : config.notices()) {
            out.add(n.kind() == NotifySpec.Kind.NTFY ? HttpNotifier.ntfy(n.uri(), n.headers()) : HttpNotifier.webhook(n.uri(), n.headers()));
        }
        return out;
    }
}
