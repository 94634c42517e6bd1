package dev.baton.deploy.config;

import dev.baton.BatonException;
import dev.baton.IoReason;
import dev.baton.config.ConfigNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An nginx site template and its placeholders ({@code {{name}}}), as docs/deploy.md lists them.
 * Placeholders are replaced in nginx's code only: a comment (from a {@code #} outside quotes to
 * the end of its line) is left as written, so a multi-line block cannot spill out of one.
 */
public final class NginxTemplate {
    /** Every placeholder a template may use; {@code upstream.N} for each route N. */
    public static final Set<String> NAMES = Set.of("app", "app_id", "colour", "listen", "upstreams", "locations");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([^{}]*)}}");
    private static final Pattern UPSTREAM_N = Pattern.compile("upstream\\.(\\d{1,4})");

    private NginxTemplate() {}

    /**
     * The placeholders a template uses that Baton does not know, as {@code line N: {{x}}}; empty
     * when it may be rendered. {@code routes}: how many routes there are ({@code upstream.N} < it).
     */
    public static Set<String> unknown(String template, int routes) {
        Set<String> out = new LinkedHashSet<>();
        String[] lines = template.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Matcher m = PLACEHOLDER.matcher(code(lines[i]));
            while (m.find()) {
                String name = m.group(1).strip();
                Matcher n = UPSTREAM_N.matcher(name);
                boolean known = NAMES.contains(name) || (n.matches() && Integer.parseInt(n.group(1)) < routes);
                if (!known) {
                    out.add("line " + (i + 1) + ": {{" + m.group(1) + "}}");
                }
            }
        }
        return out;
    }

    /**
     * {@code router.nginx.template} read when baton.yml is: a UTF-8 text file whose placeholders
     * are all known. Returns {@code file}; throws a config error at {@code key} otherwise.
     */
    static Path check(ConfigNode key, Path file, int routes) {
        if (!Files.isRegularFile(file)) {
            throw key.error("the nginx site template " + file + " is not a file" + (Files.exists(file) ? "" : " (it does not exist)"));
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (CharacterCodingException e) {
            throw key.error("the nginx site template " + file + " is not UTF-8 text");
        } catch (IOException e) {
            throw key.error("cannot read the nginx site template " + file + ": " + IoReason.of(e));
        }
        Set<String> unknown = unknown(text, routes);
        if (!unknown.isEmpty()) {
            throw key.error("the nginx site template " + file + " uses placeholders Baton does not fill: "
                    + String.join(", ", unknown) + "; the placeholders are {{" + String.join("}}, {{", new TreeSet<>(NAMES))
                    + "}} and {{upstream.N}} for route N (0 to " + (routes - 1) + "); see docs/deploy.md");
        }
        return file;
    }

    /** The template with each placeholder in nginx's code replaced by its value. */
    public static String render(String template, Map<String, String> values) {
        StringBuilder out = new StringBuilder();
        String[] lines = template.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String code = code(lines[i]);
            Matcher m = PLACEHOLDER.matcher(code);
            StringBuilder rendered = new StringBuilder();
            while (m.find()) {
                String value = values.get(m.group(1).strip());
                if (value == null) {
                    throw BatonException.usage("nginx template line " + (i + 1) + ": unknown placeholder {{" + m.group(1)
                            + "}}; the placeholders are " + NAMES + " and upstream.N for route N");
                }
                m.appendReplacement(rendered, Matcher.quoteReplacement(value));
            }
            m.appendTail(rendered);
            out.append(rendered).append(lines[i], code.length(), lines[i].length());
            if (i < lines.length - 1) {
                out.append('\n');
            }
        }
        return out.toString();
    }

    /** The part of a line before its comment: nginx reads # outside quotes as the start of one. */
    static String code(String line) {
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '#' && (i == 0 || " \t;{}".indexOf(line.charAt(i - 1)) >= 0)) {
                return line.substring(0, i); // only at the start of a token: a#b is one word to nginx
            }
        }
        return line;
    }
}
