package dev.baton.migrate;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What {@code baton migrate lint} found in the pending revisions.
 *
 * @param findings in revision and statement order
 * @param observed revisions run on the shadow database and observed there
 * @param staticOnly revisions only read (no shadow could be built: {@code shadow} says why)
 * @param shadow where the shadow was made, or why none could be
 * @param reusedFrom when the lint ran, if this report is an earlier lint's of the same inputs
 *     ({@link PreparedLint#fingerprint}) rather than made now
 */
public record LintReport(List<LintFinding> findings, List<String> observed, List<String> staticOnly, String shadow,
                         Optional<Instant> reusedFrom) {
    public LintReport {
        findings = List.copyOf(findings);
        observed = List.copyOf(observed);
        staticOnly = List.copyOf(staticOnly);
    }

    /** A report made now. */
    public LintReport(List<LintFinding> findings, List<String> observed, List<String> staticOnly, String shadow) {
        this(findings, observed, staticOnly, shadow, Optional.empty());
    }

    public boolean hasErrors() {
        return findings.stream().anyMatch(LintFinding::isError);
    }

    /** Whether every pending revision ran on a shadow database (none read statically): a verdict worth keeping. */
    public boolean observedOnShadow() {
        return staticOnly.isEmpty() && !observed.isEmpty();
    }

    /** This report, as an earlier lint's made at {@code at}. */
    public LintReport reused(Instant at) {
        return new LintReport(findings, observed, staticOnly, shadow, Optional.of(at));
    }
}
