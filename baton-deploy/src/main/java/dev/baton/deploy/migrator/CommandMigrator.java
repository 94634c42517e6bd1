package dev.baton.deploy.migrator;

import dev.baton.BatonException;
import dev.baton.ExitCode;
import dev.baton.deploy.config.MigrationsConfig;
import dev.baton.deploy.port.Command;
import dev.baton.deploy.port.CommandResult;
import dev.baton.deploy.port.Host;
import dev.baton.deploy.port.Migrator;
import dev.baton.migrate.DatabaseUrl;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Your own migration tool as a command ({@code migrations.engine: command}), e.g.
 * {@code [alembic, upgrade, head]}; {@code down_command} undoes it when a deploy fails before
 * traffic moves. Baton reads the revision where {@code migrations.revision} says (empty when it
 * says nothing) and checks {@code verify_tables} itself. In the
 * argv, {@code {{colour}}} becomes the new colour and {@code {{container.<service>}}} the new
 * colour's container ({@code <app>-<service>-<colour>}), so the migration can run inside it:
 * {@code [docker, exec, "{{container.api}}", alembic, upgrade, head]}; in {@code down_command},
 * {@code {{revision_before}}} becomes the revision before the upgrade ({@code [alembic, downgrade, "{{revision_before}}"]}).
 */
public final class CommandMigrator implements Migrator {
    private final Host host;
    private final Command up;
    private final Command down;
    private final Consumer<String> log;
    private final String app;
    private final Schema schema;
    private String colour;

    /**
     * What Baton itself reads of the database a command migrates: the tables Verify checks and
     * where the revision is, over {@code url} (null when the config gives none).
     */
    public record Schema(DatabaseUrl url, List<String> verifyTables, MigrationsConfig.RevisionSource revision) {
        public static final Schema NONE = new Schema(null, List.of(), MigrationsConfig.RevisionSource.NONE);
    }

    public CommandMigrator(Host host, Command up, Command down, Consumer<String> log, String app, Schema schema) {
        this.host = host;
        this.up = up;
        this.down = down;
        this.log = log;
        this.app = app;
        this.schema = schema;
    }

    /** The revision from {@code migrations.revision}: empty when it is not configured. */
    @Override
    public Optional<List<String>> current() {
        MigrationsConfig.RevisionSource r = schema.revision();
        if (!r.command().isEmpty()) {
            Command c = new Command(r.command(), Map.of(), up.workDir(), up.timeout());
            CommandResult result = host.run(c);
            if (!result.ok()) {
                throw new BatonException(ExitCode.FAILED, "migrations.revision.command `" + c.display() + "` exited with "
                        + result.exitCode() + ":\n" + result.tail(5));
            }
            // alembic current: "ae1027a6acf (head)"; one line per head
            return Optional.of(result.output().lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("INFO"))
                    .map(l -> l.split("\\s+")[0]).toList());
        }
        if (r.table() != null) {
            return Optional.of(readTable(schema.url(), r.table(), r.column()));
        }
        return Optional.empty();
    }

    /**
     * The values of a version table's column, e.g. alembic_version.version_num (the names are
     * checked when read); none while the table does not exist yet.
     */
    public static List<String> readTable(DatabaseUrl url, String table, String column) {
        try (Connection c = url.open("baton revision"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT " + quote(column) + "::text FROM " + quoteQualified(table) + " ORDER BY 1")) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) {
                return List.of(); // undefined_table: the tool has not migrated yet (alembic_version comes with the first upgrade)
            }
            throw new BatonException(ExitCode.FAILED, "cannot read migrations.revision.table " + table + " on " + url.display()
                    + ": " + BatonException.describe(e));
        }
    }

    private static String quoteQualified(String name) {
        int dot = name.indexOf('.');
        return dot < 0 ? quote(name) : quote(name.substring(0, dot)) + "." + quote(name.substring(dot + 1));
    }

    private static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    @Override
    public String upgrade(String colour) {
        this.colour = colour;
        Command c = resolve(up, colour);
        run(c, "migrations.command");
        return "`" + c.display() + "` succeeded";
    }

    @Override
    public List<Command> commands(String colour) {
        return List.of(resolve(up, colour));
    }

    private Command resolve(Command c, String colour) {
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
            throw new Irreversible("no migrations.down_command to undo `" + up.display() + "`");
        }
        Command c = resolve(down, colour);
        if (c.argv().stream().anyMatch(a -> a.contains(MigrationsConfig.REVISION_BEFORE))) {
            List<String> heads = before.orElseThrow(() -> new BatonException(ExitCode.FAILED, "the schema's revision before"
                    + " the deploy is not known (migrations.revision could not say), so " + MigrationsConfig.REVISION_BEFORE
                    + " has no value; revert by hand"));
            if (heads.size() > 1) {
                throw new BatonException(ExitCode.FAILED, "the schema had several heads " + heads + " before the deploy; revert"
                        + " by hand");
            }
            String revision = heads.isEmpty() ? "base" : heads.get(0);
            c = new Command(c.argv().stream().map(a -> a.replace(MigrationsConfig.REVISION_BEFORE, revision)).toList(), c.env(),
                    c.workDir(), c.timeout());
        }
        run(c, "migrations.down_command");
    }

    /** The tables of {@code verify_tables} exist (Baton checks them itself, whatever tool migrated). */
    @Override
    public List<String> verify() {
        if (schema.verifyTables().isEmpty()) {
            return List.of();
        }
        List<String> problems = new ArrayList<>();
        try (Connection c = schema.url().open("baton verify"); PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            for (String t : schema.verifyTables()) {
                ps.setString(1, t);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (!rs.getBoolean(1)) {
                        problems.add("table " + t + " does not exist");
                    }
                }
            }
        } catch (SQLException e) {
            problems.add("cannot check verify_tables on " + schema.url().display() + ": " + BatonException.describe(e));
        }
        return problems;
    }

    private void run(Command c, String key) {
        CommandResult r = host.run(c, log);
        if (!r.ok()) {
            throw new BatonException(ExitCode.FAILED, key + " `" + c.display() + "` "
                    + (r.timedOut() ? "timed out" : "exited with " + r.exitCode()) + ":\n" + r.tail(15));
        }
    }
}
