package dev.baton.deploy.migrator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.migrate.LintFinding;
import dev.baton.migrate.LintReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lint verdicts kept between a plan and its deploy: only what can be trusted comes back. */
class LintCacheTest {
    static final String KEY = "ab".repeat(32);
    static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
    static final LintFinding FINDING = new LintFinding("drop-column", "error", "aaaa00000002", "/m/2.sql", 5,
            "ALTER TABLE items DROP COLUMN note", "the serving version reads note", "drop it in a contract revision");
    static final LintReport OBSERVED = new LintReport(List.of(FINDING), List.of("aaaa00000002"), List.of(), "shadow database s1");

    @TempDir
    Path tmp;

    LintCache cache() {
        return new LintCache(Optional.of(tmp.resolve("cache/baton/lint")));
    }

    @Test
    void aVerdictComesBackAsMadeThenAndIsPrivate() throws Exception {
        cache().put(KEY, OBSERVED, NOW);
        LintReport back = cache().get(KEY, NOW.plusSeconds(60)).orElseThrow();
        assertThat(back.findings()).containsExactly(FINDING);
        assertThat(back.observed()).containsExactly("aaaa00000002");
        assertThat(back.shadow()).isEqualTo("shadow database s1");
        assertThat(back.reusedFrom()).contains(NOW);
        Path file = tmp.resolve("cache/baton/lint/" + KEY + ".json");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
        assertThat(cache().get("cd".repeat(32), NOW)).as("another key").isEmpty();
    }

    @Test
    void anHourLaterOrFromTheFutureItIsGone() {
        cache().put(KEY, OBSERVED, NOW);
        assertThat(cache().get(KEY, NOW.plus(LintCache.MAX_AGE).plusSeconds(1))).isEmpty();
        assertThat(cache().get(KEY, NOW.minus(Duration.ofMinutes(1)))).isEmpty();
    }

    @Test
    void writingDropsWhatIsPastItsHourAndWhatAKilledWriteLeft() throws Exception {
        cache().put(KEY, OBSERVED, NOW);
        Path dir = tmp.resolve("cache/baton/lint");
        Path left = Files.writeString(dir.resolve("." + KEY + ".json.123.tmp"), "{");
        Path old = dir.resolve(KEY + ".json");
        Files.setLastModifiedTime(left, FileTime.from(NOW.minus(Duration.ofHours(2))));
        Files.setLastModifiedTime(old, FileTime.from(NOW.minus(Duration.ofHours(2))));
        String other = "cd".repeat(32);
        cache().put(other, OBSERVED, NOW);
        try (var files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactly(other + ".json");
        }
    }

    @Test
    void onlyAVerdictObservedOnAShadowIsKept() {
        cache().put(KEY, new LintReport(List.of(), List.of(), List.of("aaaa00000002"), "no shadow database (refused): read statically"),
                NOW);
        assertThat(cache().get(KEY, NOW)).as("a static read may have met a server that was down").isEmpty();
        cache().put(KEY, OBSERVED.reused(NOW.minusSeconds(3000)), NOW);
        assertThat(cache().get(KEY, NOW)).as("a reused verdict does not start a new hour").isEmpty();
    }

    @Test
    void aFileThatIsNotWhatItShouldBeIsNoVerdict() throws Exception {
        cache().put(KEY, OBSERVED, NOW);
        Path file = tmp.resolve("cache/baton/lint/" + KEY + ".json");
        Files.writeString(file, "{\"fingerprint\": \"" + KEY + "\", \"linted_at\": \"" + NOW + "\", \"findings\": [");
        assertThat(cache().get(KEY, NOW)).as("cut short").isEmpty();

        cache().put(KEY, OBSERVED, NOW);
        Files.writeString(file, Files.readString(file).replace(KEY, "cd".repeat(32)));
        assertThat(cache().get(KEY, NOW)).as("another key's content").isEmpty();

        cache().put(KEY, OBSERVED, NOW);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
        assertThat(cache().get(KEY, NOW)).as("anyone could have written it").isEmpty();

        assertThat(cache().get("../../etc/passwd", NOW)).isEmpty();
    }

    @Test
    void aFolderThatCannotBeWrittenCostsALintNotADeploy() throws Exception {
        Files.writeString(tmp.resolve("cache"), "a file where the folder should be");
        cache().put(KEY, OBSERVED, NOW); // no exception
        assertThat(cache().get(KEY, NOW)).isEmpty();
        assertThat(new LintCache(Optional.empty()).get(KEY, NOW)).isEmpty();
    }

    @Test
    void theFolderFollowsXdgThenHome() {
        assertThat(LintCache.forUser(Map.of("XDG_CACHE_HOME", "/c", "HOME", "/h")).dir()).contains(Path.of("/c/baton/lint"));
        assertThat(LintCache.forUser(Map.of("HOME", "/h")).dir()).contains(Path.of("/h/.cache/baton/lint"));
        assertThat(LintCache.forUser(Map.of("XDG_CACHE_HOME", "relative", "HOME", "/h")).dir())
                .as("XDG: a relative path is to be ignored").contains(Path.of("/h/.cache/baton/lint"));
        assertThat(LintCache.forUser(Map.of()).dir()).isEmpty();
    }
}
