package dev.baton.migrate.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes migration files in tests. */
public final class Files2 {
    private Files2() {}

    public static Path write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A Baton-layout revision file {@code <id>.sql} in dir. */
    public static Path revision(Path dir, String id, String parents, String upSql, String downSql) {
        String text = "-- baton:revision " + id + "\n-- baton:parents " + parents + "\n-- baton:message " + id + " step\n\n"
                + upSql + "\n" + (downSql == null ? "" : "-- baton:down\n" + downSql + "\n");
        return write(dir.resolve(id + ".sql"), text);
    }
}
