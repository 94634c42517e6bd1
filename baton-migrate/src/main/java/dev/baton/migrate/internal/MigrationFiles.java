package dev.baton.migrate.internal;

import dev.baton.BatonException;
import dev.baton.IoReason;
import dev.baton.migrate.Change;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/** What every layout reader needs of the files: listing, reading, the checksum, the no-transaction mark. */
final class MigrationFiles {
    private MigrationFiles() {}

    /** sqlx's {@code -- no-transaction} first line, or Baton's directive, in any layout. */
    static boolean noTransaction(String upText) {
        for (String line : upText.split("\n", 20)) {
            String l = line.strip();
            if (l.equals("-- no-transaction") || l.replace(" ", "").equalsIgnoreCase("--baton:transactionalfalse")) {
                return true;
            }
            if (!l.isEmpty() && !l.startsWith("--")) {
                break;
            }
        }
        return false;
    }

    /**
     * SHA-256 over the statements of the up-SQL, so edits to comments and blank lines do not count as
     * changes while any edit to what runs does.
     */
    static String checksum(Change.Sql up) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (SqlStatement s : SqlSplitter.split(up.text(), up.file().toString(), up.firstLine())) {
                sha.update(s.sql().replace("\r\n", "\n").getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    static List<Path> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw BatonException.usage("cannot list migrations folder " + dir + ": " + IoReason.of(e));
        }
    }

    /**
     * Every file under {@code dir}, in its sub-folders too, as Flyway scans its locations; hidden
     * files and folders (a name starting with a dot, such as .git) left out; in path order.
     */
    static List<Path> walk(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> !Files.isDirectory(p) && !hidden(dir.relativize(p))).sorted().toList();
        } catch (IOException | UncheckedIOException e) {
            throw BatonException.usage("cannot list migrations folder " + dir + " and its sub-folders: "
                    + IoReason.of(e instanceof UncheckedIOException u ? u.getCause() : (IOException) e));
        }
    }

    private static boolean hidden(Path relative) {
        for (Path name : relative) {
            if (name.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    /**
     * The file as UTF-8 SQL text, without a leading byte-order mark (editors on Windows write one;
     * Flyway drops it, and PostgreSQL would take it for the first statement's first word); bytes that
     * are not UTF-8, and NULs (which PostgreSQL refuses mid-run), are refused now.
     */
    static String read(Path file) {
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            // a named pipe would block the read for ever, a device such as /dev/zero never end
            throw BatonException.usage(file + ": " + (Files.isDirectory(file) ? "a folder" : "not a regular file (a named pipe,"
                    + " a device or a socket)") + "; a migration is a file of SQL text");
        }
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8).replace("\r\n", "\n");
            if (text.startsWith("\uFEFF")) {
                text = text.substring(1);
            }
            int nul = text.indexOf('\0');
            if (nul >= 0) {
                throw BatonException.usage(file + ":" + (text.substring(0, nul).chars().filter(c -> c == '\n').count() + 1)
                        + ": a NUL byte: migration files are SQL text, and PostgreSQL refuses NUL in a statement");
            }
            return text;
        } catch (CharacterCodingException e) {
            throw BatonException.usage(file + ": not UTF-8 text (" + e.getMessage() + "); save it as UTF-8");
        } catch (IOException e) {
            throw BatonException.usage("cannot read " + file + ": " + IoReason.of(e));
        }
    }
}
