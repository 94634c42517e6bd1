package dev.baton.deploy.migrator;

import dev.baton.Json;
import dev.baton.PrivateFiles;
import dev.baton.migrate.LintFinding;
import dev.baton.migrate.LintReport;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Lint verdicts kept for an hour in the user's cache folder ({@code $XDG_CACHE_HOME/baton/lint},
 * else {@code ~/.cache/baton/lint}), one file per {@link dev.baton.migrate.PreparedLint#fingerprint}:
 * {@code baton deploy --plan} then {@code baton deploy} builds one shadow database, not two. Only
 * reports observed on a shadow are kept (a static read may have been a server that was down).
 * Outside the state folder, so a plan still leaves that untouched. A cache that cannot be read or
 * written is no cache: the lint runs, the deploy goes on.
 */
public final class LintCache {
    static final Duration MAX_AGE = Duration.ofHours(1);
    private static final Pattern KEY = Pattern.compile("[0-9a-f]{64}");
    private static final Set<PosixFilePermission> SHARED_WRITE = Set.of(PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.OTHERS_WRITE);

    private final Optional<Path> dir;

    public LintCache(Optional<Path> dir) {
        this.dir = dir;
    }

    /** The folder for this user, from the environment; none when neither XDG_CACHE_HOME nor HOME is an absolute path. */
    public static LintCache forUser(Map<String, String> env) {
        for (String var : List.of("XDG_CACHE_HOME", "HOME")) {
            String v = env.get(var);
            if (v != null && v.startsWith("/") && v.indexOf('\0') < 0) {
                Path base = Path.of(v);
                return new LintCache(Optional.of((var.equals("HOME") ? base.resolve(".cache") : base).resolve("baton/lint")));
            }
        }
        return new LintCache(Optional.empty());
    }

    public Optional<Path> dir() {
        return dir;
    }

    /** The report kept for {@code key}, as made at its time; empty when none, too old, or not trustworthy. */
    public Optional<LintReport> get(String key, Instant now) {
        if (dir.isEmpty() || !KEY.matcher(key).matches()) {
            return Optional.empty();
        }
        Path file = dir.get().resolve(key + ".json");
        try {
            // a file someone else could have written is not a verdict to trust
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
                    || !Files.getOwner(file, LinkOption.NOFOLLOW_LINKS).equals(Files.getOwner(dir.get()))
                    || !Files.getOwner(dir.get()).getName().equals(System.getProperty("user.name"))
                    || Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS).stream().anyMatch(SHARED_WRITE::contains)
                    || Files.getPosixFilePermissions(dir.get()).stream().anyMatch(SHARED_WRITE::contains)
                    || Files.size(file) > 4 << 20) {
                return Optional.empty();
            }
            Map<?, ?> m = (Map<?, ?>) Json.parse(Files.readString(file));
            Instant at = Instant.parse((String) m.get("linted_at"));
            if (!key.equals(m.get("fingerprint")) || at.isAfter(now) || Duration.between(at, now).compareTo(MAX_AGE) > 0) {
                return Optional.empty();
            }
            List<LintFinding> findings = new ArrayList<>();
            for (Object o : (List<?>) m.get("findings")) {
                findings.add(LintFinding.of((Map<?, ?>) o));
            }
            LintReport r = new LintReport(findings, strings(m.get("observed")), List.of(), str(m, "shadow"));
            return r.observedOnShadow() ? Optional.of(r.reused(at)) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // missing, half-written by hand, or not ours: lint again
        }
    }

    /** Keeps {@code report} under {@code key} (when it was observed on a shadow); drops verdicts past their hour. */
    public void put(String key, LintReport report, Instant now) {
        if (dir.isEmpty() || !KEY.matcher(key).matches() || !report.observedOnShadow() || report.reusedFrom().isPresent()) {
            return;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("fingerprint", key);
        m.put("linted_at", now.toString());
        m.put("shadow", report.shadow());
        m.put("observed", report.observed());
        List<Object> findings = new ArrayList<>();
        for (LintFinding f : report.findings()) {
            findings.add(f.toMap());
        }
        m.put("findings", findings);
        try {
            PrivateFiles.writeAtomically(dir.get().resolve(key + ".json"), Json.write(m) + "\n");
            prune(now);
        } catch (IOException | RuntimeException e) {
            // a full disk or a folder not ours: the next deploy lints again, which is all this costs
        }
    }

    private void prune(Instant now) throws IOException {
        // verdicts past their hour, and temporary files a killed write left behind
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir.get(), "{*.json,.*.json.*.tmp}")) {
            for (Path f : files) {
                if (Files.getLastModifiedTime(f, LinkOption.NOFOLLOW_LINKS).toInstant().isBefore(now.minus(MAX_AGE))) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    private static String str(Map<?, ?> m, String key) {
        if (!(m.get(key) instanceof String s)) {
            throw new IllegalArgumentException(key + " is not a string");
        }
        return s;
    }

    private static List<String> strings(Object v) {
        List<String> out = new ArrayList<>();
        for (Object o : (List<?>) v) {
            out.add((String) o);
        }
        return out;
    }
}
