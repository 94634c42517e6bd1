package dev.baton.migrate;

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
}
