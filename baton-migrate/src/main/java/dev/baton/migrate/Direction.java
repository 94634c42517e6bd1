package dev.baton.migrate;

/** What a history row records. */
public enum Direction {
    UPGRADE("upgrade", true),
    DOWNGRADE("downgrade", false),
    /** Recorded as applied without running (baton migrate stamp). */
    STAMP("stamp", true),
    /** Recorded as not applied without running (stamp to an earlier revision). */
    UNSTAMP("unstamp", false),
    /**
     * Written before a revision that runs outside a transaction, so that one cut off half-way
     * (kill -9, a lost connection, a failed statement) is known: it is interrupted until a row
     * for it follows. Its description says which way it ran.
     */
    STARTED("started", false),
    /** Recorded as applied by {@code baton migrate adopt}, from the history of the tool that ran it; the description says which. */
    ADOPTED("adopted", true),
    /** An interrupted revision cleared by {@code baton migrate repair}, which left it not applied; the description is the reason. */
    REPAIRED("repaired", false);

    private final String dbName;
    private final boolean applies;

    Direction(String dbName, boolean applies) {
        this.dbName = dbName;
        this.applies = applies;
    }

    /** The value stored in the history table's direction column. */
    public String dbName() {
        return dbName;
    }

    /** Whether the row leaves the revision applied. */
    public boolean applies() {
        return applies;
    }

    /** Whether the row records a file as it ran (its checksum is checked against the file from then on). */
    public boolean ranFile() {
        return this == UPGRADE || this == ADOPTED;
    }

    public static Direction fromDb(String name) {
        for (Direction d : values()) {
            if (d.dbName.equals(name)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown direction " + name);
    }
}
