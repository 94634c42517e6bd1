package dev.baton.migrate;

import java.sql.Connection;
import java.util.List;

/**
 * A revision written in Java, for changes SQL cannot express (data backfills that call code, say).
 * Implementations are found with {@link java.util.ServiceLoader}: list them in
 * {@code META-INF/services/dev.baton.migrate.JavaMigration} of a jar on the classpath
 * ({@code baton migrate --classpath my-migrations.jar}). They join the revision graph of the
 * migrations folder by naming their parents.
 */
public interface JavaMigration {
    /** The revision id, unique across the folder and all Java migrations. */
    String revision();

    /** Parent revision ids; empty for a root revision. */
    List<String> parents();

    /** One line saying what the revision does. */
    String message();

    /** Applies the change. Runs inside the revision's transaction unless {@link #transactional()} is false. */
    void up(Connection connection) throws Exception;

    /** Reverts the change; the default refuses, which makes the revision irreversible. */
    default void down(Connection connection) throws Exception {
        throw new UnsupportedOperationException("revision " + revision() + " has no down()");
    }

    /** Whether {@link #down} is implemented; used to refuse a downgrade before anything runs. */
    default boolean reversible() {
        return false;
    }

    default boolean transactional() {
        return true;
    }

    /** A value that changes when the migration's effect changes; null disables the changed-revision check. */
    default String checksum() {
        return null;
    }
}
