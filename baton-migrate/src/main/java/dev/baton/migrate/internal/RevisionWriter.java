package dev.baton.migrate.internal;

import dev.baton.BatonException;
import dev.baton.IoReason;
import dev.baton.migrate.Layout;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/** Writes a new, empty revision in the folder's layout. */
public final class RevisionWriter {
    private static final SecureRandom RANDOM = new SecureRandom();

    private RevisionWriter() {}

    /** Writes the revision and returns the file (or folder) created. */
    public static Path write(Path dir, Layout layout, String message, List<String> parents) {
        if (message == null || message.isBlank()) {
            throw BatonException.usage("a new revision needs a message: baton migrate new \"add users table\"");
        }
        String slug = slug(message);
        try {
            Files.createDirectories(dir);
            return switch (layout) {
                case BATON, AUTO -> baton(dir, message, slug, parents);
                case FLYWAY -> create(dir.resolve("V" + next(parents) + "__" + slug + ".sql"),
                        "-- " + message + "\n");
                case GOLANG_MIGRATE -> {
                    String v = next(parents);
                    create(dir.resolve(v + "_" + slug + ".down.sql"), "-- undo: " + message + "\n");
                    yield create(dir.resolve(v + "_" + slug + ".up.sql"), "-- " + message + "\n");
                }
                case SQLX -> create(dir.resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMddHHmmss"))
                        + "_" + slug + ".sql"), "-- " + message + "\n");
                case FOLDERS -> {
                    Path folder = dir.resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd-HHmmss"))
                            + "_" + slug);
                    Files.createDirectory(folder);
                    create(folder.resolve("down.sql"), "-- undo: " + message + "\n");
                    create(folder.resolve("up.sql"), "-- " + message + "\n");
                    yield folder;
                }
            };
        } catch (IOException e) {
            throw BatonException.usage("cannot write a new revision in " + dir + ": " + IoReason.of(e));
        }
    }

    private static Path baton(Path dir, String message, String slug, List<String> parents) throws IOException {
        byte[] bytes = new byte[6];
        RANDOM.nextBytes(bytes);
        String id = HexFormat.of().formatHex(bytes);
        String text = "-- baton:revision " + id + "\n"
                + "-- baton:parents " + String.join(" ", parents) + "\n"
                + "-- baton:message " + message.strip().replace('\n', ' ') + "\n"
                + "-- baton:transactional true\n"
                + "--\n"
                + "-- The upgrade SQL goes below. It runs in one transaction with its history row; set\n"
                + "-- transactional to false for statements such as CREATE INDEX CONCURRENTLY.\n"
                + "\n\n"
                + "-- baton:down\n"
                + "-- The SQL that undoes the upgrade goes below (leave empty if it cannot be undone).\n\n";
        return create(dir.resolve(id + "_" + slug + ".sql"), text);
    }

    /** The next version of a linear layout: last + 1, keeping a timestamp scheme if one is used. */
    private static String next(List<String> heads) {
        if (heads.isEmpty()) {
            return "1";
        }
        String last = heads.get(0);
        if (last.matches("\\d{12,}")) {
            return LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMddHHmmss"));
        }
        String[] parts = last.split("\\.");
        try {
            return String.valueOf(Long.parseLong(parts[0]) + 1);
        } catch (NumberFormatException e) {
            throw BatonException.usage("cannot tell the next version after " + last + "; name the file yourself");
        }
    }

    private static Path create(Path file, String text) throws IOException {
        if (Files.exists(file)) {
            throw BatonException.usage(file + " already exists; choose another message");
        }
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    static String slug(String message) {
        String s = message.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_+|_+$", "");
        if (s.isEmpty()) {
            s = "revision";
        }
        return s.length() > 40 ? s.substring(0, 40).replaceAll("_+$", "") : s;
    }
}
