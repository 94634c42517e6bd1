package dev.baton.deploy.migrator;

import dev.baton.BatonException;
import dev.baton.ExitCode;
import dev.baton.deploy.port.Command;
import dev.baton.deploy.port.CommandResult;
import dev.baton.deploy.port.Host;
import dev.baton.deploy.port.Migrator;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Your own migration tool as a command ({@code migrations.engine: command}), e.g.
 * {@code [alembic, upgrade, head]}; {@code down_command} undoes it when a deploy fails before
 * traffic moves. Baton cannot read such a tool's version, so {@link #current} is empty. In the
 * argv, {@code {{colour}}} becomes the new colour and {@code {{container.<service>}}} the new
 * colour's container ({@code <app>-<service>-<colour>}), so the migration can run inside it:
 * {@code [docker, exec, "{{container.api}}", alembic, upgrade, head]}.
 */
public final class CommandMigrator implements Migrator {
    private final Host host;
    private final Command up;
    private final Command down;
    private final Consumer<String> log;
    private final String app;
    private String colour;

    public CommandMigrator(Host host, Command up, Command down, Consumer<String> log, String app) {
        this.host = host;
        this.up = up;
        this.down = down;
        this.log = log;
        this.app = app;
    }

    @Override
    public Optional<List<String>> current() {
        return Optional.empty();
    }

    @Override
    public String upgrade(String colour) {
        this.colour = colour;
        Command c = resolve(up);
        run(c, "migrations.command");
        return "`" + c.display() + "` succeeded";
    }

    private Command resolve(Command c) {
        if (colour == null) {
            return c;
        }
        List<String> argv = new ArrayList<>();
        for (String a : c.argv()) {
            argv.add(a.replace("{{colour}}", colour).replaceAll("\\{\\{container\\.([A-Za-z0-9_-]+)}}", app + "-$1-" + colour));
        }
        return new Command(argv, c.env(), c.workDir(), c.timeout());
    }

    @Override
    public void revertTo(Optional<List<String>> before) {
        if (down == null) {
            throw new BatonException(ExitCode.FAILED, "no migrations.down_command to undo `" + up.display()
                    + "`; the schema keeps the new version's changes");
        }
        run(resolve(down), "migrations.down_command");
    }

    @Override
    public List<String> verify() {
        return List.of();
    }

    private void run(Command c, String key) {
        CommandResult r = host.run(c, log);
        if (!r.ok()) {
            throw new BatonException(ExitCode.FAILED, key + " `" + c.display() + "` "
                    + (r.timedOut() ? "timed out" : "exited with " + r.exitCode()) + ":\n" + r.tail(15));
        }
    }
}
