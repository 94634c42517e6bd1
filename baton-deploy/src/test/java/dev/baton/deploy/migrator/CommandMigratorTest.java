package dev.baton.deploy.migrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.deploy.config.MigrationsConfig.RevisionSource;
import dev.baton.deploy.local.LocalHost;
import dev.baton.deploy.port.Command;
import dev.baton.migrate.DatabaseUrl;
import dev.baton.migrate.testing.TestDatabase;
import java.sql.Connection;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Your own migration tool: Baton still checks the tables and reads the revision itself (real PostgreSQL, real commands). */
class CommandMigratorTest {
    final TestDatabase db = TestDatabase.create();

    @AfterEach
    void tearDown() {
        db.close();
    }

    CommandMigrator migrator(List<String> tables, RevisionSource revision) {
        return new CommandMigrator(new LocalHost(), Command.of("true"), null, line -> { }, "shop",
                new CommandMigrator.Schema(DatabaseUrl.parse(db.jdbcUrl(), null, null), tables, revision));
    }

    @Test
    void verifyTablesAreCheckedWhateverToolMigrated() throws Exception {
        CommandMigrator m = migrator(List.of("items", "public.orders"), RevisionSource.NONE);
        assertThat(m.verify()).containsExactly("table items does not exist", "table public.orders does not exist");
        try (Connection c = db.connect()) {
            c.createStatement().execute("CREATE TABLE items (id int); CREATE TABLE orders (id int)");
        }
        assertThat(m.verify()).isEmpty();
        assertThat(m.current()).as("no revision source configured").isEmpty();
    }

    @Test
    void theRevisionComesFromAVersionTableOrACommand() throws Exception {
        assertThat(migrator(List.of(), new RevisionSource(List.of(), "alembic_version", "version_num")).current())
                .as("before the tool's first upgrade its table does not exist: no revision yet").isEqualTo(Optional.of(List.of()));
        try (Connection c = db.connect()) {
            c.createStatement().execute("CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY);"
                    + " INSERT INTO alembic_version VALUES ('ae1027a6acf')");
        }
        assertThat(migrator(List.of(), new RevisionSource(List.of(), "alembic_version", "version_num")).current())
                .isEqualTo(Optional.of(List.of("ae1027a6acf")));
        assertThat(migrator(List.of(), new RevisionSource(List.of("printf", "%s\\n", "ae1027a6acf (head)", "3f2b9c1d (head)"), null, null))
                .current()).isEqualTo(Optional.of(List.of("ae1027a6acf", "3f2b9c1d")));
        assertThatThrownBy(() -> migrator(List.of(), new RevisionSource(List.of(), "alembic_version", "no_such_column")).current())
                .hasMessageContaining("cannot read migrations.revision.table alembic_version");
    }

    @Test
    void theDownCommandRevertsToTheRevisionBeforeTheUpgradeAndWithoutOneTheSchemaIsKept() throws Exception {
        java.nio.file.Path out = java.nio.file.Files.createTempFile("down", ".txt");
        // as alembic downgrade <revision> would be called: the target is the revision read before the upgrade
        CommandMigrator m = new CommandMigrator(new LocalHost(), Command.of("true"),
                Command.of("/bin/sh", "-c", "echo \"$1\" > \"$2\"", "down", "{{revision_before}}", out.toString()), line -> { }, "shop",
                new CommandMigrator.Schema(DatabaseUrl.parse(db.jdbcUrl(), null, null), List.of(),
                        new RevisionSource(List.of(), "alembic_version", "version_num")));
        m.revertTo(Optional.of(List.of("ae1027a6acf")));
        assertThat(java.nio.file.Files.readString(out)).isEqualTo("ae1027a6acf\n");
        m.revertTo(Optional.of(List.of()));
        assertThat(java.nio.file.Files.readString(out)).as("an empty schema: alembic's name for it").isEqualTo("base\n");
        assertThatThrownBy(() -> m.revertTo(Optional.empty())).hasMessageContaining("not known");

        assertThatThrownBy(() -> migrator(List.of(), RevisionSource.NONE).revertTo(Optional.of(List.of())))
                .isInstanceOf(dev.baton.deploy.port.Migrator.Irreversible.class)
                .hasMessageContaining("no migrations.down_command to undo `true`");
        java.nio.file.Files.delete(out);
    }
}
