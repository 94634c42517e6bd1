package dev.baton.migrate;

import java.util.Locale;

/** How revisions are laid out in the migrations folder. */
public enum Layout {
    /** One {@code .sql} file per revision with a {@code -- baton:revision} header. */
    BATON("baton"),
    /** Flyway's {@code V<version>__<description>.sql}, linear by version. */
    FLYWAY("flyway"),
    /** golang-migrate's {@code <version>_<name>.up.sql} and {@code .down.sql}, linear. */
    GOLANG_MIGRATE("golang-migrate"),
    /** A folder per revision holding {@code up.sql} and {@code down.sql} (diesel, sqlx), linear by name. */
    FOLDERS("folders"),
    /** sqlx's {@code <version>_<description>.sql}, or {@code .up.sql} and {@code .down.sql}, linear by version. */
    SQLX("sqlx"),
    /** Detect from the folder's contents. */
    AUTO("auto");

    private final String configName;

    Layout(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    /** Parses a config or command-line name; null if unknown. */
    public static Layout fromName(String name) {
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        for (Layout layout : values()) {
            if (layout.configName.equals(wanted)) {
                return layout;
            }
        }
        return null;
    }
}
