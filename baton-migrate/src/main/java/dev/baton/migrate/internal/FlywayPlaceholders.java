package dev.baton.migrate.internal;

import dev.baton.BatonException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Flyway's placeholders in its layout's files, by Flyway's rules: every {@code ${name}} in the
 * file (in strings and comments too) is replaced by its value, names matched exactly; a
 * {@code ${...}} left without a value is an error, here with its file and line. The checksum is
 * of the file as written, as Flyway's is, so a value that differs between environments is not a
 * change of the file.
 */
final class FlywayPlaceholders {
    private static final Pattern ANY = Pattern.compile("\\$\\{(.+?)}");

    private final Map<String, String> values;

    FlywayPlaceholders(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    /** The text with its placeholders replaced; {@code flyway:filename} is the file's name. */
    String render(String text, Path file) {
        Map<String, String> all = new HashMap<>(values);
        all.put("flyway:filename", file.getFileName().toString());
        StringBuilder out = new StringBuilder();
        Matcher m = ANY.matcher(text);
        while (m.find()) {
            String value = all.get(m.group(1));
            if (value == null) {
                int line = (int) text.substring(0, m.start()).chars().filter(c -> c == '\n').count() + 1;
                throw BatonException.usage(file + ":" + line + ": no value for the Flyway placeholder " + m.group()
                        + "; give one in baton.yml (migrations.placeholders: {" + m.group(1) + ": ...}) or the environment"
                        + " (FLYWAY_PLACEHOLDERS_" + m.group(1).toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_")
                        + "), or write the $ as chr(36) if it is not a placeholder");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }
}
