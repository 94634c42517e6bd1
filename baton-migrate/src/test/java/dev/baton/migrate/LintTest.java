package dev.baton.migrate;

import static dev.baton.migrate.testing.Files2.revision;
import static dev.baton.migrate.testing.Files2.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.migrate.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code baton migrate lint} on a real PostgreSQL: what it observes on the shadow, and what it reads statically. */
class LintTest {
    @TempDir
    Path tmp;

    TestDatabase db;
    Path dir;

    static final String BASE = "CREATE TYPE mood AS ENUM ('happy', 'sad');\n"
            + "CREATE TABLE items (id int PRIMARY KEY, name text, price int DEFAULT 0, note text, feeling mood);\n"
            + "CREATE TABLE gone (id int);\n"
            + "INSERT INTO items VALUES (1, 'a', 1, 'x', 'happy');\n";

    @BeforeEach
    void setUp() {
        db = TestDatabase.create();
        dir = tmp.resolve("migrations");
        revision(dir, "aaaa00000001", "", BASE, null);
        engine().upgrade("head", false, false); // what the serving version runs on
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    MigrationEngine engine() {
        return new MigrationEngine(MigrateSettings.of(db.url(), dir).withLogDir(tmp.resolve("logs")), new MigrationListener() { });
    }

    /** Rule id @ line, for each finding of the revision. */
    static List<String> rules(LintReport r, String revision) {
        return r.findings().stream().filter(f -> f.revision().equals(revision)).map(f -> f.rule() + "@" + f.line()).toList();
    }

    @Test
    void changesTheServingVersionSeesAreObservedOnTheShadowAndTheTargetIsLeftAlone() {
        revision(dir, "aaaa00000002", "aaaa00000001", String.join("\n",
                "ALTER TABLE items DROP COLUMN note;",                              // line 5: the header takes 4
                "ALTER TABLE items RENAME COLUMN name TO title;",
                "ALTER TABLE items ALTER COLUMN price SET NOT NULL;",
                "ALTER TABLE items ALTER COLUMN price DROP DEFAULT;",
                "ALTER TABLE items ALTER COLUMN price TYPE bigint;",
                "ALTER TABLE items ADD COLUMN sku text NOT NULL DEFAULT 'none';",
                "ALTER TYPE mood RENAME VALUE 'sad' TO 'blue';",
                "DROP TABLE gone;",
                "ALTER TABLE items RENAME TO products;"), null);
        List<String> shadowsBefore = db.column("SELECT datname FROM pg_database WHERE datname LIKE 'baton\\_shadow\\_%'");
        LintReport r = engine().lint(null);
        assertThat(r.observed()).containsExactly("aaaa00000002");
        assertThat(r.staticOnly()).isEmpty();
        assertThat(rules(r, "aaaa00000002")).containsExactly("drop-column@5", "rename-column@6", "set-not-null@7",
                "drop-default@8", "table-rewrite@9", "change-column-type@9", "exclusive-lock-then-slow-work@9",
                "rename-enum-value@11", "drop-table@12", "rename-table@13");
        assertThat(r.findings()).filteredOn(f -> f.rule().equals("change-column-type")).singleElement()
                .satisfies(f -> assertThat(f.message()).contains("public.items.price from integer to bigint"));
        // the type change rewrote items, while the ACCESS EXCLUSIVE lock of the DROP COLUMN was held
        assertThat(r.hasErrors()).isTrue();
        // the target is untouched, and no shadow database is left behind
        assertThat(db.column("SELECT count(*) FROM information_schema.columns WHERE table_name = 'items'")).containsExactly("5");
        assertThat(engine().status().pending()).extracting(Revision::id).containsExactly("aaaa00000002");
        assertThat(db.column("SELECT datname FROM pg_database WHERE datname LIKE 'baton\\_shadow\\_%'"))
                .as("the lint's own shadow is dropped").isSubsetOf(shadowsBefore);
    }

    @Test
    void theFingerprintChangesWithEveryInputOfTheLintAndOnlyThen() {
        revision(dir, "aaaa00000002", "aaaa00000001", "ALTER TABLE items ADD COLUMN code text;", null);
        String first = engine().prepareLint(null).fingerprint().orElseThrow();
        assertThat(first).matches("[0-9a-f]{64}");
        assertThat(engine().prepareLint(null).fingerprint()).as("the same inputs").contains(first);

        revision(dir, "aaaa00000002", "aaaa00000001", "ALTER TABLE items ADD COLUMN code text;  -- now a comment", null);
        String edited = engine().prepareLint(null).fingerprint().orElseThrow();
        assertThat(edited).as("a pending file edited").isNotEqualTo(first);

        revision(dir, "aaaa00000001", "", BASE + "-- a comment in an applied file\n", null);
        assertThat(engine().prepareLint(null).fingerprint().orElseThrow()).as("an applied file edited (the shadow replays it)")
                .isNotEqualTo(edited);
        revision(dir, "aaaa00000001", "", BASE, null);
        assertThat(engine().prepareLint(null).fingerprint()).contains(edited);

        MigrationEngine withPlaceholders = new MigrationEngine(new MigrateSettings(db.url(), dir, Layout.AUTO,
                MigrateSettings.DEFAULT_TABLE, MigrateSettings.DEFAULT_LOCK_TIMEOUT, null, tmp.resolve("logs"), StatementLocks.DEFAULT,
                Map.of("who", "x")), new MigrationListener() { });
        assertThat(withPlaceholders.prepareLint(null).fingerprint().orElseThrow()).as("other settings").isNotEqualTo(edited);

        engine().upgrade("head", false, false);
        revision(dir, "aaaa00000003", "aaaa00000002", "ALTER TABLE items ADD COLUMN code2 text;", null);
        assertThat(engine().prepareLint(null).fingerprint().orElseThrow()).as("another revision applied, another pending")
                .isNotEqualTo(edited).isNotEqualTo(first);
    }

    @Test
    void anAddedRequiredColumnFailsOnTheShadowsRowsAndIsReported() {
        revision(dir, "aaaa00000002", "aaaa00000001", "ALTER TABLE items ADD COLUMN code text NOT NULL;", null);
        LintReport r = engine().lint(null);
        assertThat(rules(r, "aaaa00000002")).containsExactly("statement-fails@5");
        assertThat(r.findings().get(0).message()).contains("contains null values");
    }

    @Test
    void locksAndRewritesOfExistingTablesAreErrorsAndNewTablesAreExempt() {
        revision(dir, "aaaa00000002", "aaaa00000001", String.join("\n",
                "CREATE TABLE tags (item_id int, tag text);",
                "CREATE INDEX tags_tag ON tags (tag);",                                  // a new table: exempt
                "ALTER TABLE tags ADD CONSTRAINT tags_item FOREIGN KEY (item_id) REFERENCES items (id);",
                "CREATE INDEX items_name ON items (name);",
                "ALTER TABLE items ADD CONSTRAINT items_price CHECK (price >= 0);",
                "ALTER TABLE items ADD CONSTRAINT items_note_ok CHECK (note <> '') NOT VALID;",
                "ALTER TABLE items ADD CONSTRAINT items_name_key UNIQUE (name);"), null);
        revision(dir, "aaaa00000003", "aaaa00000002", String.join("\n",
                "ALTER TABLE items ADD COLUMN flag boolean DEFAULT false;",
                "UPDATE items SET flag = true;"), null);
        LintReport r = engine().lint(null);
        assertThat(rules(r, "aaaa00000002")).containsExactly("index-without-concurrently@8", "constraint-without-not-valid@9",
                "add-unique-constraint@11", "exclusive-lock-then-slow-work@11"); // the CHECK took ACCESS EXCLUSIVE
        assertThat(r.findings()).filteredOn(f -> f.rule().equals("index-without-concurrently")).singleElement()
                .satisfies(f -> assertThat(f.message()).contains("public.items_name on public.items", "holds ShareRowExclusiveLock")); // the FK of line 7 took it
        assertThat(rules(r, "aaaa00000003")).containsExactly("exclusive-lock-then-slow-work@6");
    }

    @Test
    void aFindingIsAcceptedOnlyWithAReasonNextToItsStatement() {
        revision(dir, "aaaa00000002", "aaaa00000001", String.join("\n",
                "-- baton:allow drop-column nothing has read note since v7",
                "ALTER TABLE items DROP COLUMN note;",
                "ALTER TABLE items DROP COLUMN name; -- baton:allow drop-column",
                "-- baton:allow drop-table no table is dropped here",
                "ALTER TABLE items ADD COLUMN extra int;"), null);
        LintReport r = engine().lint(null);
        assertThat(rules(r, "aaaa00000002")).containsExactlyInAnyOrder("drop-column@7", "suppression-without-reason@7",
                "unused-suppression@8");
        assertThat(r.findings()).filteredOn(f -> f.rule().equals("unused-suppression")).singleElement()
                .satisfies(f -> assertThat(f.severity()).isEqualTo("warning"));
    }

    @Test
    void aRevisionOutsideATransactionMustSurviveARerun() {
        write(dir.resolve("aaaa00000002_index.sql"), "-- baton:revision aaaa00000002\n-- baton:parents aaaa00000001\n"
                + "-- baton:transactional false\nCREATE INDEX CONCURRENTLY items_note ON items (note);\n"
                + "CREATE INDEX CONCURRENTLY IF NOT EXISTS items_price ON items (price);\n");
        LintReport r = engine().lint(null);
        assertThat(rules(r, "aaaa00000002")).containsExactly("non-transactional-not-idempotent@4");
        assertThat(r.findings().get(0).severity()).isEqualTo("warning");
        assertThat(r.hasErrors()).isFalse();
    }

    @Test
    void withoutTheRightToCreateAShadowTheStatementsAreReadStaticallyAndTheReportSaysSo() {
        String role = "baton_lint_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        db.execute("CREATE ROLE " + role + " LOGIN NOCREATEDB");
        try {
            revision(dir, "aaaa00000002", "aaaa00000001", String.join("\n",
                    "CREATE TABLE tags (id int);",
                    "CREATE INDEX tags_id ON tags (id);",
                    "ALTER TABLE items DROP COLUMN note, ADD COLUMN code text NOT NULL;",
                    "CREATE INDEX items_name ON items (name);"), null);
            String server = TestDatabase.ADMIN_URL.replaceFirst("\\?.*", ""); // the role's own login, not the URL's user
            LintReport r = engine().lint(DatabaseUrl.parse(server, role, null));
            assertThat(r.staticOnly()).containsExactly("aaaa00000002");
            assertThat(r.shadow()).contains("no shadow database", "permission denied");
            assertThat(rules(r, "aaaa00000002")).containsExactly("drop-column@7", "add-required-column@7",
                    "index-without-concurrently@8");
        } finally {
            db.execute("DROP ROLE " + role);
        }
    }

    @Test
    void theServingVersionsQueriesAreCheckedOnTheShadowIncludingRevisionsOutsideATransaction() throws Exception {
        Path queries = write(tmp.resolve("serving.sql"), "SELECT * FROM items WHERE id = $1;\nSELECT note FROM items;\n");
        write(dir.resolve("aaaa00000002_index.sql"), "-- baton:revision aaaa00000002\n-- baton:parents aaaa00000001\n"
                + "-- baton:transactional false\nALTER TABLE items ADD COLUMN IF NOT EXISTS extra int;\n"
                + "ALTER TABLE items DROP COLUMN IF EXISTS note;\n");
        MigrationEngine e = new MigrationEngine(MigrateSettings.of(db.url(), dir).withLogDir(tmp.resolve("logs"))
                .withServingQueries(queries.toString()), new MigrationListener() { });
        LintReport r = e.lint(null);
        assertThat(rules(r, "aaaa00000002")).containsExactlyInAnyOrder("drop-column@5", "breaks-serving-query@4",
                "select-star-on-changed-table@4");
        assertThat(r.findings()).filteredOn(f -> f.rule().equals("breaks-serving-query")).singleElement()
                .satisfies(f -> assertThat(f.message()).contains("column \"note\" does not exist"));
    }

    @Test
    void aShadowLeftByAKilledLintIsDroppedByTheNextAndOneInUseIsNot() throws Exception {
        // one whose lint was killed with kill -9 (its lock went with its session), and one another lint has
        // just made and holds the lock of, not yet connected to it
        long now = System.currentTimeMillis() / 1000;
        String left = "baton_shadow_" + Long.toHexString(now) + "_" + UUID.randomUUID().toString().substring(0, 8);
        String live = "baton_shadow_" + Long.toHexString(now) + "_" + UUID.randomUUID().toString().substring(0, 8);
        try (var other = DriverManager.getConnection(TestDatabase.ADMIN_URL); var st = other.createStatement()) {
            st.execute("CREATE DATABASE " + left);
            assertThat(AdvisoryLock.tryLock(other, AdvisoryLock.key(live))).isTrue();
            st.execute("CREATE DATABASE " + live);
            try {
                revision(dir, "aaaa00000002", "aaaa00000001", "ALTER TABLE items ADD COLUMN extra int;", null);
                assertThat(engine().lint(null).findings()).isEmpty();
                assertThat(db.column("SELECT count(*) FROM pg_database WHERE datname = '" + left + "'")).containsExactly("0");
                assertThat(db.column("SELECT count(*) FROM pg_database WHERE datname = '" + live + "'")).containsExactly("1");
            } finally {
                st.execute("DROP DATABASE IF EXISTS " + live);
            }
        }
    }

    @Test
    void aFreshDatabaseHasNoServingVersionSoNothingIsShadowed() throws Exception {
        TestDatabase fresh = TestDatabase.create();
        try {
            MigrationEngine e = new MigrationEngine(MigrateSettings.of(fresh.url(), dir).withLogDir(tmp.resolve("logs")),
                    new MigrationListener() { });
            LintReport r = e.lint(null);
            assertThat(r.findings()).isEmpty();
            assertThat(r.shadow()).contains("nothing applied yet");
        } finally {
            fresh.close();
        }
    }
}
