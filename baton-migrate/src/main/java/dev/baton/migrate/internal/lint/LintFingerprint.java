package dev.baton.migrate.internal.lint;

import dev.baton.migrate.AppliedRevision;
import dev.baton.migrate.Change;
import dev.baton.migrate.MigrateSettings;
import dev.baton.migrate.Revision;
import dev.baton.migrate.internal.PlannedStep;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a lint's report is a function of, as one SHA-256: the shadow is built from the migration
 * files (not from the target), so the same files, applied revisions, pending steps, serving
 * queries, settings, shadow server and Baton build always find the same. A deploy after its
 * plan reuses the plan's verdict on this key instead of building a second shadow.
 */
public final class LintFingerprint {
    /** Bumped when what a lint reads changes shape. */
    private static final String FORMAT = "baton-lint 1";

    private LintFingerprint() {}

    /** Empty when a revision is Java code (its class is not read here, so a change to it would go unseen). */
    public static Optional<String> of(List<Revision> revisions, Map<String, AppliedRevision> applied, List<PlannedStep> pending,
                                      List<String> serving, MigrateSettings settings, String shadowServer, String serverVersion) {
        StringBuilder b = new StringBuilder(FORMAT).append('\n').append(build()).append('\n');
        b.append("shadow ").append(shadowServer).append(' ').append(serverVersion).append('\n');
        b.append("settings ").append(settings.layout()).append(' ').append(settings.table()).append(' ')
                .append(settings.lockTimeout()).append(' ').append(settings.statementLocks()).append(' ')
                .append(new TreeMap<>(settings.placeholders())).append('\n');
        for (Revision r : revisions) {
            if (!(r.up() instanceof Change.Sql sql)) {
                return Optional.empty();
            }
            b.append("revision ").append(r.id()).append(' ').append(r.parents()).append(' ').append(r.transactional())
                    .append(' ').append(r.contract()).append(' ').append(sha256(sql.text())).append('\n');
        }
        new TreeMap<>(applied).forEach((id, a) -> b.append("applied ").append(id).append(' ').append(a.checksum()).append('\n'));
        for (PlannedStep s : pending) {
            b.append("pending ").append(s.revision().id()).append(' ').append(s.direction()).append('\n');
        }
        for (String q : serving) {
            b.append("serving ").append(sha256(q)).append('\n');
        }
        return Optional.of(sha256(b.toString()));
    }

    /** This build of Baton: its jar (or class folder), size and time, so a new build lints anew. */
    private static String build() {
        try {
            Path at = Path.of(LintFingerprint.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return at + " " + Files.size(at) + " " + Files.getLastModifiedTime(at).toMillis();
        } catch (URISyntaxException | IOException | RuntimeException e) {
            return "unknown build " + System.nanoTime(); // never equal: no reuse rather than a wrong one
        }
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }
}
