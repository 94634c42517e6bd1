package dev.baton.config;

import dev.baton.BatonException;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * One node of a YAML configuration file, with its key path and line, so that every error can say
 * {@code migrations.lock_timeout: expected a duration such as 30s, got "x" (baton.yml:14)}.
 * Scalars get {@code ${ENV_VAR}} and {@code ${ENV_VAR:-default}} substitution (dotted names such as
 * {@code ${baton.version}} are values the caller adds to the environment); a missing variable
 * without a default is an error naming it, unless the file is read {@link #lenient(Map) leniently}
 * (commands that only read, such as {@code baton status}, need none of a deploy's variables).
 */
public final class ConfigNode {
    private static final Pattern ENV_REF = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*(?:\\.[A-Za-z_][A-Za-z0-9_]*)*)(?::-([^}]*))?}");
    private static final Pattern WHOLE = Pattern.compile("[-+]?\\d+");
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?");
    /** The longest duration any key takes (runtime.prune counts in days of images): ten years. */
    private static final Duration MAX_DURATION = Duration.ofDays(3653);
    /** More than any baton.yml holds: a file beyond it is refused before it is parsed. */
    static final int MAX_BYTES = 1 << 20;

    private final Node node;
    private final String path;
    private final String fileName;
    private final Map<String, String> env;

    private ConfigNode(Node node, String path, String fileName, Map<String, String> env) {
        this.node = node;
        this.path = path;
        this.fileName = fileName;
        this.env = env;
    }

    /**
     * Reads a YAML file; an empty file is an empty mapping. Whatever the file holds, the answer is
     * a node or a usage error naming the file (and line where there is one): a folder, bytes that
     * are not UTF-8 text, YAML that is not valid or nests or aliases beyond SnakeYAML's limits, and
     * a key given twice in one mapping.
     */
    public static ConfigNode load(Path file, Map<String, String> env) {
        String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
        if (Files.isDirectory(file)) {
            throw BatonException.usage("config file " + file + " is a folder; pass the baton.yml in it, e.g. --config "
                    + file.resolve("baton.yml"));
        }
        if (Files.exists(file) && !Files.isRegularFile(file) && !nullDevice(file)) {
            // a named pipe would block the read (for ever if nothing writes to it), /dev/zero never end; and
            // the router a deploy starts reads the file again, which a process substitution's pipe no longer has
            throw BatonException.usage("config file " + file + " is not a regular file (a named pipe, a device or a"
                    + " socket); Baton reads it again later (the router a deploy starts does): pass a baton.yml file");
        }
        try {
            String text = text(file, name);
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false); // honoured by SnakeYAML's constructor only: see rejectDuplicateKeys
            Node root = compose(text, options, name);
            if (root == null) {
                root = new MappingNode(Tag.MAP, List.of(), DumperOptions.FlowStyle.BLOCK);
            }
            ConfigNode node = new ConfigNode(root, "", name, env);
            node.requireMapping();
            rejectDuplicateKeys(root, name);
            return node;
        } catch (NoSuchFileException e) {
            throw BatonException.usage("config file " + file + " does not exist; pass --config FILE or run `baton init`");
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
            String problem = String.valueOf(e.getProblem());
            String hint = problem.contains("{") || problem.contains("[") ? " (inside [...] or {...}, quote values that"
                    + " contain braces, such as \"${VAR}\")" : "";
            throw BatonException.usage(name + ":" + line + ": not valid YAML: " + problem + hint);
        } catch (YAMLException e) {
            // SnakeYAML's limits (aliases, nesting depth, size) say what was exceeded, without a line
            throw BatonException.usage(name + ": not a configuration Baton reads: " + e.getMessage()
                    + "; a baton.yml needs no aliases to collections and little nesting");
        } catch (IOException e) {
            throw BatonException.usage("cannot read config file " + file + ": " + e.getMessage());
        }
    }

    /**
     * SnakeYAML's parse. Its own errors are YAMLExceptions, handled by the caller; a few inputs
     * make it throw others (a tag such as {@code !!.!%4}: IllegalArgumentException), which are
     * still a file that is not YAML, not a bug of Baton's.
     */
    private static Node compose(String text, LoaderOptions options, String name) {
        try {
            return new Yaml(options).compose(new StringReader(text));
        } catch (YAMLException e) {
            throw e;
        } catch (RuntimeException e) {
            throw BatonException.usage(name + ": not valid YAML: " + e.getMessage());
        }
    }

    /** {@code /dev/null} (or a link to it): an empty config, as in {@code baton migrate --config /dev/null --url ...}. */
    private static boolean nullDevice(Path file) {
        try {
            return Files.isSameFile(file, Path.of("/dev/null"));
        } catch (IOException e) {
            return false;
        }
    }

    /** The file as UTF-8 text: malformed bytes and NULs are refused, with the line they are on. */
    private static String text(Path file, String name) throws IOException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        }
        if (bytes.length > MAX_BYTES) {
            throw BatonException.usage("config file " + file + " holds more than " + (MAX_BYTES >> 20) + " MiB; a baton.yml is a"
                    + " few KB of YAML text");
        }
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        String text;
        try {
            text = utf8.decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw BatonException.usage(name + ": not UTF-8 text (" + e.getMessage() + "); save it as UTF-8");
        }
        int nul = text.indexOf('\0');
        if (nul >= 0) {
            throw BatonException.usage(name + ":" + (text.substring(0, nul).chars().filter(c -> c == '\n').count() + 1)
                    + ": a NUL byte: this is not a text file; a baton.yml is YAML text");
        }
        return text;
    }

    /** SnakeYAML's compose() keeps the last of two equal keys silently: refuse them, naming both lines. */
    private static void rejectDuplicateKeys(Node root, String file) {
        rejectDuplicateKeys(root, "", file, Collections.newSetFromMap(new IdentityHashMap<>()),
                Collections.newSetFromMap(new IdentityHashMap<>()));
    }

    /**
     * Walks each node once, however often aliases repeat it (a chain of aliases would otherwise
     * be walked exponentially often), and refuses a node inside itself ({@code &a [x, *a]}).
     */
    private static void rejectDuplicateKeys(Node node, String path, String file, Set<Node> ancestors, Set<Node> done) {
        if (ancestors.contains(node)) {
            int line = node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
            throw BatonException.usage((path.isEmpty() ? "(top level)" : path) + ": an alias to a node that contains it ("
                    + file + ":" + line + "); a baton.yml cannot be recursive");
        }
        if (!done.add(node)) {
            return;
        }
        ancestors.add(node);
        if (node instanceof MappingNode m) {
            Map<String, Integer> seen = new HashMap<>();
            for (NodeTuple t : m.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode k) {
                    int line = k.getStartMark() == null ? 0 : k.getStartMark().getLine() + 1;
                    Integer first = seen.putIfAbsent(k.getValue(), line);
                    String keyPath = path.isEmpty() ? k.getValue() : path + "." + k.getValue();
                    if (first != null) {
                        throw BatonException.usage(keyPath + ": given twice (" + file + ":" + first + " and " + file + ":" + line
                                + "); keep one");
                    }
                    rejectDuplicateKeys(t.getValueNode(), keyPath, file, ancestors, done);
                } else {
                    rejectDuplicateKeys(t.getKeyNode(), path, file, ancestors, done);
                    rejectDuplicateKeys(t.getValueNode(), path, file, ancestors, done);
                }
            }
        } else if (node instanceof SequenceNode seq) {
            for (int i = 0; i < seq.getValue().size(); i++) {
                rejectDuplicateKeys(seq.getValue().get(i), path + "[" + i + "]", file, ancestors, done);
            }
        }
        ancestors.remove(node);
    }

    public String path() {
        return path.isEmpty() ? "(top level)" : path;
    }

    /** file:line of this node, 1-based. */
    public String location() {
        int line = node.getStartMark() == null ? 1 : node.getStartMark().getLine() + 1; // an empty file has no marks
        return fileName + ":" + line;
    }

    /** An error about this node: {@code path: message (file:line)}. */
    public BatonException error(String message) {
        return BatonException.usage(path() + ": " + message + " (" + location() + ")");
    }

    /** The child under key, if present and not null. */
    public Optional<ConfigNode> get(String key) {
        return Optional.ofNullable(entries().get(key));
    }

    /** Fails on any key not in the allowed set, naming it and listing the allowed ones. */
    public ConfigNode allowOnly(Collection<String> allowed) {
        for (Map.Entry<String, ConfigNode> entry : entries().entrySet()) {
            if (!allowed.contains(entry.getKey())) {
                throw entry.getValue().error("unknown key; expected one of " + new TreeSet<>(allowed));
            }
        }
        return this;
    }

    /** The entries of a mapping, in file order; null values are left out. */
    public Map<String, ConfigNode> entries() {
        MappingNode mapping = requireMapping();
        Map<String, ConfigNode> out = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
                throw new ConfigNode(tuple.getKeyNode(), path, fileName, env).error("keys must be plain names");
            }
            Node value = tuple.getValueNode();
            if (value instanceof ScalarNode scalar && scalar.getTag().getValue().endsWith(":null")) {
                continue;
            }
            String childPath = path.isEmpty() ? key.getValue() : path + "." + key.getValue();
            out.put(key.getValue(), new ConfigNode(value, childPath, fileName, env));
        }
        return out;
    }

    /** Whether this node is a plain value (not a list or mapping). */
    /** The keys of a mapping written with no value ({@code KEY:} or {@code KEY: null}), which {@link #entries()} leaves out. */
    public Map<String, ConfigNode> withoutValue() {
        Map<String, ConfigNode> out = new LinkedHashMap<>();
        for (NodeTuple tuple : requireMapping().getValue()) {
            if (tuple.getKeyNode() instanceof ScalarNode key && tuple.getValueNode() instanceof ScalarNode scalar
                    && scalar.getTag().getValue().endsWith(":null")) {
                out.put(key.getValue(), new ConfigNode(scalar, path.isEmpty() ? key.getValue() : path + "." + key.getValue(), fileName, env));
            }
        }
        return out;
    }

    public boolean isScalar() {
        return node instanceof ScalarNode;
    }

    public List<ConfigNode> list() {
        if (!(node instanceof SequenceNode sequence)) {
            throw error("expected a list");
        }
        List<ConfigNode> out = new ArrayList<>();
        for (int i = 0; i < sequence.getValue().size(); i++) {
            out.add(new ConfigNode(sequence.getValue().get(i), path + "[" + i + "]", fileName, env));
        }
        return out;
    }

    public String string() {
        if (!(node instanceof ScalarNode scalar)) {
            throw error("expected a text value");
        }
        String value = substitute(scalar.getValue());
        if (value.indexOf('\0') >= 0) {
            // YAML's "\0": no path, argument, environment value or name can hold one
            throw error("holds a NUL character (\\0); no path, command, variable or name may contain one");
        }
        return value;
    }

    /**
     * A whole number from {@code min} to {@code max}; else an error that says {@code expected}
     * (e.g. "a port number from 1 to 65535"), also for digits too many for any int.
     */
    public int integer(int min, int max, String expected) {
        String value = string().trim();
        if (!WHOLE.matcher(value).matches()) {
            throw error("expected " + expected + ", got \"" + value + "\"");
        }
        // past 18 significant digits no int range can hold it, and a long cannot overflow before that
        String digits = value.replaceFirst("^[-+]?0*", "");
        long v = digits.length() > 18 ? Long.MAX_VALUE : Long.parseLong(value);
        if (v < min || v > max) {
            throw error("expected " + expected + ", got " + value);
        }
        return (int) v;
    }

    public boolean bool() {
        String value = string().trim().toLowerCase(Locale.ROOT);
        return switch (value) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw error("expected true or false, got \"" + value + "\"");
        };
    }

    /** A duration such as {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}; a bare number is seconds. */
    public Duration duration() {
        String value = string().trim();
        Duration parsed = parseDuration(value);
        if (parsed == null) {
            throw error("expected a duration such as 30s, 500ms or 2m (at most 87672h), got \"" + value + "\"");
        }
        return parsed;
    }

    /** Parses {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h} or bare seconds; null if malformed. */
    public static Duration parseDuration(String value) {
        Matcher m = DURATION.matcher(value.trim());
        if (!m.matches()) {
            return null;
        }
        if (m.group(1).length() > 9) {
            return null; // beyond any sensible deadline, and beyond what adding it to a clock can hold
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        Duration d = switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofSeconds(n);
        };
        return d.compareTo(MAX_DURATION) > 0 ? null : d;
    }

    private MappingNode requireMapping() {
        if (!(node instanceof MappingNode mapping)) {
            throw error("expected a mapping of keys to values");
        }
        return mapping;
    }

    /**
     * An environment for commands that only read: a variable that is not set stays as written,
     * {@code ${VERSION}}, instead of being an error.
     */
    public static Map<String, String> lenient(Map<String, String> env) {
        return new Lenient(env);
    }

    /** The environment, marked as lenient by its type. */
    private static final class Lenient extends AbstractMap<String, String> {
        private final Map<String, String> env;

        Lenient(Map<String, String> env) {
            this.env = env;
        }

        @Override
        public String get(Object key) {
            return env.get(key);
        }

        @Override
        public Set<Entry<String, String>> entrySet() {
            return env.entrySet();
        }
    }

    /**
     * This value with {@code ${variable}} (and {@code ${variable:-default}}) left as {@code ${variable}}
     * and every other variable filled in, so that it can be filled in later with another value; empty
     * when it does not name {@code variable}.
     */
    public Optional<String> template(String variable) {
        if (!(node instanceof ScalarNode scalar)) {
            return Optional.empty();
        }
        Matcher m = ENV_REF.matcher(scalar.getValue());
        while (m.find()) {
            if (m.group(1).equals(variable)) {
                return Optional.of(substitute(scalar.getValue(), variable));
            }
        }
        return Optional.empty();
    }

    private String substitute(String raw) {
        return substitute(raw, null);
    }

    /** @param kept a variable left as written ({@code ${kept}}), or null */
    private String substitute(String raw, String kept) {
        Matcher m = ENV_REF.matcher(raw);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = m.group(1).equals(kept) ? "${" + kept + "}" : env.get(m.group(1));
            if (value == null) {
                value = m.group(2); // ${NAME:-default}
            }
            if (value == null && env instanceof Lenient) {
                value = m.group(0);
            }
            if (value == null && m.group(1).contains(".")) {
                throw error("${" + m.group(1) + "} has no value here: Baton fills it in for baton deploy only");
            }
            if (value == null) {
                throw error("environment variable " + m.group(1) + " is not set; export it or remove ${"
                        + m.group(1) + "}");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }
}
