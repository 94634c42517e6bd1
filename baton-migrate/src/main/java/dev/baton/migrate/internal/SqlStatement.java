package dev.baton.migrate.internal;

import java.util.Locale;

/** One SQL statement of a file, without its terminating semicolon, and the file line it starts on. */
public record SqlStatement(String sql, int line) {
    /** The first keyword, upper-case, or "" if none. */
    public String firstWord() {
        return word(0);
    }

    /** The n-th word (0-based) of the statement, upper-case, ignoring quoting; "" if absent. */
    public String word(int n) {
        String[] words = sql.trim().split("[\\s(;]+", n + 2);
        return words.length > n ? words[n].toUpperCase(Locale.ROOT) : "";
    }
}
