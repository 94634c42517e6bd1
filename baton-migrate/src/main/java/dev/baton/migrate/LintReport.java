package dev.baton.migrate;

import java.util.List;

/**
 * What {@code baton migrate lint} found in the pending revisions.
 *
 * @param findings in revision and statement order
 * @param observed revisions run on the shadow database and observed there
 * @param staticOnly revisions only read (no shadow could be built: {@code shadow} says why)
 * @param shadow where the shadow was made, or why none could be
 */
public record LintReport(List<LintFinding> findings, List<String> observed, List<String> staticOnly, String shadow) {
    public LintReport {
        findings = List.copyOf(findings);
        observed = List.copyOf(observed);
        staticOnly = List.copyOf(staticOnly);
    }

    public boolean hasErrors() {
        return findings.stream().anyMatch(LintFinding::isError);
    }
}
