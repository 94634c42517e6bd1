package dev.baton.migrate;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One thing {@code baton migrate lint} found in a pending revision.
 *
 * @param rule the rule's id ({@code drop-column}, {@code index-without-concurrently}, ...)
 * @param severity {@code error} or {@code warning}
 * @param revision the revision's id
 * @param file the file, or null for a Java migration
 * @param line the statement's first line in the file (0 when not known)
 * @param statement the statement, abbreviated
 * @param message what it does, and why that matters while the old version serves
 * @param fix how to write it safely
 */
public record LintFinding(String rule, String severity, String revision, String file, int line, String statement,
                          String message, String fix) {
    public boolean isError() {
        return severity.equals("error");
    }

    /** Its fields by name, in order: the JSON of {@code baton migrate lint --json} and of kept verdicts. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rule", rule);
        m.put("severity", severity);
        m.put("revision", revision);
        m.put("file", file);
        m.put("line", line);
        m.put("statement", statement);
        m.put("message", message);
        m.put("fix", fix);
        return m;
    }

    /** The finding of {@link #toMap} read back (from JSON); a missing or mistyped field is an IllegalArgumentException. */
    public static LintFinding of(Map<?, ?> m) {
        if (!(m.get("line") instanceof Number line) || (m.get("file") != null && !(m.get("file") instanceof String))) {
            throw new IllegalArgumentException("a lint finding needs a numeric line and a file name or null");
        }
        return new LintFinding(text(m, "rule"), text(m, "severity"), text(m, "revision"), (String) m.get("file"), line.intValue(),
                text(m, "statement"), text(m, "message"), text(m, "fix"));
    }

    private static String text(Map<?, ?> m, String key) {
        if (!(m.get(key) instanceof String s)) {
            throw new IllegalArgumentException("a lint finding's " + key + " must be a string");
        }
        return s;
    }
}
