package dev.baton.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.baton.BatonException;
import dev.baton.ExitCode;
import dev.baton.config.ConfigNode;
import dev.baton.deploy.config.DeployConfigReader;
import dev.baton.migrate.DatabaseUrl;
import dev.baton.migrate.Layout;
import dev.baton.migrate.internal.RevisionGraph;
import dev.baton.migrate.internal.RevisionLoader;
import dev.baton.migrate.internal.SqlSplitter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The parsers that read text a user or an attacker controls: baton.yml, a migrations folder (in
 * each layout, with the SQL splitter) and database URLs. The property: each returns a value or
 * refuses with exit 2; any other exception is a bug. One fuzz test picks the parser from its
 * input's last byte (0 baton.yml, 1 migrations folder, 2 SQL, 3 database URL), so that one short
 * run in ./mvnw verify covers all three (Jazzer fuzzes one test per JVM). docs/fuzzing.md.
 */
class ParsersFuzzTest {
    private static final Map<String, String> ENV = Map.of("VERSION", "2", "DATABASE_URL", "postgres://u:p@127.0.0.1:5432/db");
    private static final List<String> NAMES = List.of("0001_a.sql", "V1__a.sql", "V1.0__b.sql", "V2__c.sql", "R__view.sql",
            "1_init.up.sql", "1_init.down.sql", "2_more.up.sql", "2024-01-01-000000_x/up.sql", "2024-01-01-000000_x/down.sql",
            "20240101000000_y/up.sql", "20240101000000_y/metadata.toml", "a1c0de000001_init.sql", "b2c0de000002_next.sql");

    @FuzzTest(maxDuration = "6s")
    void anyParser(FuzzedDataProvider data) throws IOException {
        switch (data.consumeInt(0, 3)) {
            case 0 -> batonYml(data.consumeRemainingAsBytes());
            case 1 -> migrationsFolder(data);
            case 2 -> refusedOrRead(() -> SqlSplitter.split(data.consumeRemainingAsString(), "fuzz.sql", 1));
            default -> databaseUrl(data);
        }
    }

    /** baton.yml read as every command reads it. */
    private static void batonYml(byte[] yaml) throws IOException {
        Path dir = Files.createTempDirectory("baton-fuzz-yml");
        try {
            Path file = Files.write(dir.resolve("baton.yml"), yaml);
            refusedOrRead(() -> {
                // reading makes the router's token in the state folder: only where this test says
                if (ConfigNode.load(file, ENV).get("state_dir").isEmpty()) {
                    DeployConfigReader.read(file, ENV);
                }
            });
        } finally {
            delete(dir);
        }
    }

    /** One to four files, named and filled by the fuzzer, read in a layout and put in their graph. */
    private static void migrationsFolder(FuzzedDataProvider data) throws IOException {
        Layout layout = data.pickValue(Layout.values());
        Path dir = Files.createTempDirectory("baton-fuzz-migrations");
        try {
            int files = data.consumeInt(1, 4);
            for (int i = 0; i < files; i++) {
                String name = data.consumeBoolean() ? data.pickValue(NAMES) : data.consumeString(24);
                byte[] content = i == files - 1 ? data.consumeRemainingAsBytes() : data.consumeBytes(data.consumeInt(0, 400));
                try {
                    Path f = dir.resolve(name).normalize();
                    if (name.isBlank() || !f.startsWith(dir) || f.equals(dir)) {
                        continue;
                    }
                    Files.createDirectories(f.getParent());
                    Files.write(f, content);
                } catch (InvalidPathException | IOException notAFileName) {
                    // a name the file system refuses is not a folder a user could have
                }
            }
            refusedOrRead(() -> new RevisionGraph(RevisionLoader.load(dir, layout, null).revisions()).heads());
        } finally {
            delete(dir);
        }
    }

    /** Parsed, or refused; and a password written once in the URL never shows in what Baton prints. */
    private static void databaseUrl(FuzzedDataProvider data) {
        String password = data.consumeBoolean() ? data.consumeString(40) : null;
        String user = data.consumeBoolean() ? data.consumeString(20) : null;
        String url = data.consumeRemainingAsString();
        DatabaseUrl parsed;
        try {
            parsed = DatabaseUrl.parse(url, user, password);
        } catch (BatonException e) {
            assertThat(e.exitCode()).as(e.getMessage()).isEqualTo(ExitCode.USAGE);
            return;
        }
        String secret = parsed.password();
        if (secret != null && secret.length() >= 6 && writtenOnceAsAPassword(url, secret)
                && (parsed.user() == null || !parsed.user().contains(secret))) {
            assertThat(parsed.display()).as("the password is redacted").doesNotContain(secret);
        }
    }

    /**
     * The password's text stands once in the URL, where a password is written: before the query
     * (the user-info) or as its {@code password=} parameter. The same text elsewhere in the query (the
     * user-info holding it percent-encoded) is query text that Baton shows as it is, not the password.
     */
    private static boolean writtenOnceAsAPassword(String url, String secret) {
        int at = url.indexOf(secret);
        int query = url.indexOf('?');
        return at >= 0 && at == url.lastIndexOf(secret)
                && (query < 0 || at < query || url.regionMatches(true, at - "password=".length(), "password=", 0, "password=".length()));
    }

    private interface Read {
        void run() throws Exception;
    }

    /** The property: a value, or a BatonException with exit 2; anything else fails the test. */
    private static void refusedOrRead(Read read) {
        try {
            read.run();
        } catch (BatonException e) {
            assertThat(e.exitCode()).as(e.getMessage()).isEqualTo(ExitCode.USAGE);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
