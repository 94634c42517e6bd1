package dev.baton.migrate.internal.lint;

import dev.baton.migrate.Change;
import dev.baton.migrate.internal.PlannedStep;
import dev.baton.migrate.internal.SqlStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code -- baton:allow <rule-id> <reason>}: a finding accepted, with its reason, next to its
 * statement (on a line of the statement, or in the comment lines just before it). One without
 * a reason suppresses nothing and is a finding itself; so is one that suppresses nothing.
 */
final class Suppressions {
    private static final Pattern ALLOW = Pattern.compile("--\\s*baton:allow\\b[ \\t]*(\\S*)[ \\t]*(.*)");

    /** One allow comment: where, which rule, why, and the statement it belongs to (its first line). */
    private record Allow(int line, String rule, String reason, int statementLine) {}

    private Suppressions() {}

    /** The findings that remain for this revision, and the findings about its allow comments. */
    static List<ShadowObserver.Finding> apply(PlannedStep step, List<ShadowObserver.Finding> findings) {
        if (!(step.change() instanceof Change.Sql sql)) {
            return findings;
        }
        List<Allow> allows = allows(sql, step.statements());
        List<ShadowObserver.Finding> out = new ArrayList<>();
        List<Allow> used = new ArrayList<>();
        for (ShadowObserver.Finding f : findings) {
            Allow by = allows.stream().filter(a -> a.statementLine() == f.line() && a.rule().equals(f.rule().id())
                    && !a.reason().isEmpty()).findFirst().orElse(null);
            if (by == null) {
                out.add(f);
            } else {
                used.add(by);
            }
        }
        String file = sql.file().toString();
        for (Allow a : allows) {
            String at = "-- baton:allow " + a.rule() + " " + a.reason();
            if (a.reason().isEmpty()) {
                out.add(new ShadowObserver.Finding(LintRule.SUPPRESSION_WITHOUT_REASON, step.revision(), file, a.line(), at.strip(), ""));
            } else if (LintRule.byId(a.rule()) == null) {
                out.add(new ShadowObserver.Finding(LintRule.UNUSED_SUPPRESSION, step.revision(), file, a.line(), at,
                        "there is no rule " + a.rule()));
            } else if (!used.contains(a)) {
                out.add(new ShadowObserver.Finding(LintRule.UNUSED_SUPPRESSION, step.revision(), file, a.line(), at, ""));
            }
        }
        return out;
    }

    private static List<Allow> allows(Change.Sql sql, List<SqlStatement> statements) {
        List<Allow> out = new ArrayList<>();
        String[] lines = sql.text().split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Matcher m = ALLOW.matcher(lines[i]);
            if (!m.find()) {
                continue;
            }
            int line = sql.firstLine() + i;
            int statementLine = -1;
            for (SqlStatement s : statements) { // the first statement that ends on or after the comment
                int end = s.line() + (int) s.sql().chars().filter(ch -> ch == '\n').count();
                if (end >= line) {
                    statementLine = s.line();
                    break;
                }
            }
            out.add(new Allow(line, m.group(1), m.group(2).strip(), statementLine));
        }
        return out;
    }
}
