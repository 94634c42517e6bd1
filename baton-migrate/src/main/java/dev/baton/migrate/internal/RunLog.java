package dev.baton.migrate.internal;

import dev.baton.Secrets;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * The full log of one upgrade/downgrade/stamp: every statement's start, server notices, errors.
 * Readable by its owner only, since SQL can carry data. Write failures never fail a migration.
 */
public final class RunLog implements AutoCloseable {
    private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    private final Path file;
    private BufferedWriter out;

    private RunLog(Path file, BufferedWriter out) {
        this.file = file;
        this.out = out;
    }

    /** @param dir where run logs go; null for none (the lint's replay on a shadow database keeps no log) */
    public static RunLog open(Path dir, String verb) {
        if (dir == null) {
            return new RunLog(null, null);
        }
        Path file = dir.resolve("migrate-" + verb + "-" + LocalDateTime.now().format(NAME) + "-"
                + ProcessHandle.current().pid() + ".log").toAbsolutePath();
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (FileAlreadyExistsException e) {
                // same second, same pid: append
            }
            return new RunLog(file, Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND));
        } catch (IOException | UnsupportedOperationException e) {
            return new RunLog(null, null);
        }
    }

    /** The log's path, or null if it could not be written. */
    public Path file() {
        return file;
    }

    public void line(String text) {
        if (out == null) {
            return;
        }
        try {
            out.write(Instant.now().toString());
            out.write(' ');
            out.write(Secrets.redact(text));
            out.write('\n');
        } catch (IOException e) {
            out = null;
        }
    }

    @Override
    public void close() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                // nothing useful to do; the run's outcome does not depend on its log
            }
        }
    }
}
