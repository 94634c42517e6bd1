package dev.baton.migrate;

import java.nio.file.Path;

/** What a revision runs in one direction: SQL from a file, or a Java migration. */
public sealed interface Change {
    /** SQL text read from {@code file}, whose first line is line {@code firstLine} of that file. */
    record Sql(Path file, int firstLine, String text) implements Change {}

    /** A Java migration, run up or down. */
    record Java(JavaMigration migration, boolean up) implements Change {}
}
