package dev.baton.deploy.runtime;

import dev.baton.BatonException;
import dev.baton.ExitCode;
import dev.baton.deploy.config.ServiceSpec;
import dev.baton.deploy.port.Command;
import dev.baton.deploy.port.CommandResult;
import dev.baton.deploy.port.Host;
import dev.baton.deploy.port.ServiceRuntime;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@code process} runtime on a server reached through a {@link Host} (over SSH): each colour
 * of a service is a process started in a session of its own with {@code PORT} and
 * {@code BATON_COLOR}, its output appended to {@code <dir>/logs/<service>-<colour>.log} and its
 * pid in {@code <dir>/run/<service>-<colour>.pid} on the server; the commands are built by
 * {@link ProcessCommands}.
 */
public final class HostProcessRuntime implements ServiceRuntime {
    private final Host host;
    private final ProcessCommands commands;
    private final CpuPriority.StartGate startGate;

    /**
     * @param dir the folder on the server for logs and pid files
     * @param bind the address the services should listen on (given to them as BATON_HOST)
     */
    public HostProcessRuntime(Host host, String dir, String bind) {
        this.host = host;
        this.commands = new ProcessCommands(dir, bind);
        this.startGate = new CpuPriority.StartGate(host);
    }

    @Override
    public void start(ServiceSpec service, String colour) {
        CommandResult r = host.run(commands.start(service, colour, startGate.start(service)));
        if (!r.ok()) {
            throw new BatonException(ExitCode.FAILED, host.name() + ": services." + service.name() + ": cannot start `"
                    + String.join(" ", service.argv()) + "` in " + service.workDir() + ":\n" + r.tail(5));
        }
    }

    @Override
    public void raisePriority(ServiceSpec service, String colour) {
        if (!service.startLow()) {
            return;
        }
        CommandResult r = host.run(commands.raise(service, colour));
        if (!r.ok()) {
            throw new BatonException(ExitCode.FAILED, host.name() + ": raising " + service.name() + " " + colour
                    + " to normal CPU priority failed: " + r.tail(3));
        }
    }

    @Override
    public List<Command> startCommands(ServiceSpec service, String colour) {
        return List.of(commands.start(service, colour, service.startLow() ? CpuPriority.Start.ALL_LOW : CpuPriority.Start.NORMAL));
    }

    @Override
    public List<Command> stopCommands(ServiceSpec service, String colour) {
        return List.of(commands.stop(service, colour));
    }

    @Override
    public boolean running(ServiceSpec service, String colour) {
        // a router may serve no colour yet, or one that baton.yml no longer has
        return colour != null && service.ports().containsKey(colour) && host.run(commands.running(service, colour)).ok();
    }

    @Override
    public void stop(ServiceSpec service, String colour) {
        CommandResult r = host.run(commands.stop(service, colour));
        if (!r.ok()) {
            throw new BatonException(ExitCode.FAILED, host.name() + ": stopping " + service.name() + " " + colour
                    + " failed:\n" + r.tail(5));
        }
    }

    @Override
    public Path log(ServiceSpec service, String colour) {
        return Path.of(commands.log(service, colour));
    }

    @Override
    public List<String> logTail(ServiceSpec service, String colour, int lines) {
        return StartMark.since(host.run(commands.logTail(service, colour, lines)).output().lines().toList());
    }
}
