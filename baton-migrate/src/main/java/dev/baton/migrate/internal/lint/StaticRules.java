package dev.baton.migrate.internal.lint;

import dev.baton.migrate.Change;
import dev.baton.migrate.internal.PlannedStep;
import dev.baton.migrate.internal.SqlStatement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lint's fallback where no shadow could be built: the breaking and locking rules read from
 * the statements' text alone (tables created earlier in the same revision exempt). It sees less
 * than the shadow: no rewrites, no locks, nothing inside functions or DO blocks.
 */
final class StaticRules {
    private static final Pattern CREATE_TABLE = Pattern.compile("CREATE\\s+(?:UNLOGGED\\s+)?TABLE\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?(\\S+)");
    private static final Pattern ALTER_TABLE = Pattern.compile("ALTER\\s+TABLE\\s+(?:IF\\s+EXISTS\\s+)?(?:ONLY\\s+)?(\\S+)\\s+(.*)", Pattern.DOTALL);
    private static final Pattern DROP_TABLE = Pattern.compile("DROP\\s+TABLE\\s+(?:IF\\s+EXISTS\\s+)?(.+)", Pattern.DOTALL);
    private static final Pattern CREATE_INDEX = Pattern.compile("CREATE\\s+(?:UNIQUE\\s+)?INDEX\\s+(CONCURRENTLY\\s+)?.*?\\bON\\s+(?:ONLY\\s+)?(\\S+)",
            Pattern.DOTALL);

    private StaticRules() {}

    static List<ShadowObserver.Finding> check(PlannedStep step) {
        List<ShadowObserver.Finding> out = new ArrayList<>();
        if (!(step.change() instanceof Change.Sql sql)) {
            return out;
        }
        Set<String> created = new HashSet<>();
        for (SqlStatement s : step.statements()) {
            String u = s.sql().toUpperCase(Locale.ROOT).replaceAll("\\s+", " ").strip();
            List<LintRule> fired = new ArrayList<>();
            Matcher m;
            if ((m = CREATE_TABLE.matcher(u)).lookingAt()) {
                created.add(name(m.group(1)));
            } else if ((m = DROP_TABLE.matcher(u)).lookingAt()) {
                for (String t : m.group(1).replaceAll("\\b(CASCADE|RESTRICT)\\b", "").split(",")) {
                    if (!created.contains(name(t.strip()))) {
                        fired.add(LintRule.DROP_TABLE);
                    }
                }
            } else if ((m = CREATE_INDEX.matcher(u)).lookingAt()) {
                if (m.group(1) == null && !created.contains(name(m.group(2)))) {
                    fired.add(LintRule.INDEX_WITHOUT_CONCURRENTLY);
                }
            } else if ((m = ALTER_TABLE.matcher(u)).lookingAt() && !created.contains(name(m.group(1)))) {
                alterTable(m.group(2), fired);
            } else if (u.matches("ALTER TYPE \\S+ RENAME VALUE .*")) {
                fired.add(LintRule.RENAME_ENUM_VALUE);
            }
            for (LintRule r : fired) {
                out.add(new ShadowObserver.Finding(r, step.revision(), sql.file().toString(), s.line(), s.sql(),
                        "(read from the statement: no shadow database)"));
            }
        }
        return out;
    }

    private static void alterTable(String actions, List<LintRule> fired) {
        if (actions.matches("RENAME TO .*")) {
            fired.add(LintRule.RENAME_TABLE);
            return;
        }
        if (actions.matches("RENAME (COLUMN )?\\S+ TO .*")) {
            fired.add(LintRule.RENAME_COLUMN);
            return;
        }
        for (String a : actions.split(",(?![^(]*\\))")) {
            a = a.strip();
            if (a.matches("DROP (COLUMN )?(IF EXISTS )?\\S+.*") && !a.matches("DROP (CONSTRAINT|DEFAULT|NOT NULL).*")) {
                fired.add(LintRule.DROP_COLUMN);
            } else if (a.matches("ADD (COLUMN )?(IF NOT EXISTS )?\\S+ .*\\bNOT NULL\\b.*") && !a.contains(" DEFAULT ")
                    && !a.matches("ADD (CONSTRAINT|CHECK|FOREIGN|UNIQUE|PRIMARY).*")) {
                fired.add(LintRule.ADD_REQUIRED_COLUMN);
            } else if (a.matches("ALTER (COLUMN )?\\S+ SET NOT NULL.*")) {
                fired.add(LintRule.SET_NOT_NULL);
            } else if (a.matches("ALTER (COLUMN )?\\S+ (SET DATA )?TYPE .*")) {
                fired.add(LintRule.CHANGE_COLUMN_TYPE);
            } else if (a.matches("ALTER (COLUMN )?\\S+ DROP DEFAULT.*")) {
                fired.add(LintRule.DROP_DEFAULT);
            } else if (a.matches("ADD (CONSTRAINT \\S+ )?(FOREIGN KEY|CHECK)\\b.*") && !a.contains("NOT VALID")) {
                fired.add(LintRule.CONSTRAINT_WITHOUT_NOT_VALID);
            } else if (a.matches("ADD (CONSTRAINT \\S+ )?(UNIQUE|PRIMARY KEY)\\b.*") && !a.contains("USING INDEX")) {
                fired.add(LintRule.ADD_UNIQUE_CONSTRAINT);
            }
        }
    }

    /** A table name as the catalogs would spell it, without quotes or the public schema. */
    private static String name(String raw) {
        String n = raw.replace("\"", "").toLowerCase(Locale.ROOT);
        n = n.endsWith("(") ? n.substring(0, n.length() - 1) : n;
        int paren = n.indexOf('(');
        n = paren >= 0 ? n.substring(0, paren) : n;
        return n.startsWith("public.") ? n.substring("public.".length()) : n;
    }
}
