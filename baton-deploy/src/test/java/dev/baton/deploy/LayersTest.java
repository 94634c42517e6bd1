package dev.baton.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The layering DESIGN.md describes, read from the sources: which package of baton-deploy uses
 * which (imports and fully qualified names), with no cycles, and steps that see only ports.
 */
class LayersTest {
    static final Path SOURCES = Path.of("src/main/java/dev/baton/deploy");
    static final Pattern USE = Pattern.compile("\\bdev\\.baton\\.deploy((?:\\.[a-z]\\w*)*)\\.[A-Z]");
    static final Set<String> ADAPTERS = Set.of("local", "lock", "migrator", "notify", "router", "runtime", "ssh");

    /** Package (relative to dev.baton.deploy, "" for the top) → the packages it uses. */
    static Map<String, Set<String>> uses() throws IOException {
        Map<String, Set<String>> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String pkg = SOURCES.relativize(f.getParent()).toString().replace('/', '.');
                Set<String> used = out.computeIfAbsent(pkg, k -> new TreeSet<>());
                Matcher m = USE.matcher(Files.readString(f).replaceFirst("(?m)^package .*$", ""));
                while (m.find()) {
                    String target = m.group(1).isEmpty() ? "" : m.group(1).substring(1);
                    if (!target.equals(pkg)) {
                        used.add(target);
                    }
                }
            }
        }
        return out;
    }

    @Test
    void stepsUseOnlyThePipelineThePortsTheConfigAndProbes() throws IOException {
        assertThat(uses().get("steps")).contains("pipeline", "port").isSubsetOf("pipeline", "port", "config", "probe", "state");
    }

    @Test
    void adaptersDoNotUseThePipelineTheStepsOrEachOther() throws IOException {
        Map<String, Set<String>> uses = uses();
        for (String adapter : ADAPTERS) {
            assertThat(uses.getOrDefault(adapter, Set.of())).as(adapter).isSubsetOf("port", "config", "state", "probe");
        }
    }

    @Test
    void theConfigIsDataAtTheBottom() throws IOException {
        assertThat(uses().get("config")).isEmpty();
    }

    @Test
    void noPackageCycles() throws IOException {
        Map<String, Set<String>> uses = uses();
        List<String> cycles = new ArrayList<>();
        for (String start : uses.keySet()) {
            // depth-first from each package: a path back to it is a cycle
            List<List<String>> paths = new ArrayList<>(List.of(List.of(start)));
            Set<String> seen = new TreeSet<>();
            while (!paths.isEmpty()) {
                List<String> path = paths.remove(paths.size() - 1);
                for (String next : uses.getOrDefault(path.get(path.size() - 1), Set.of())) {
                    if (next.equals(start)) {
                        cycles.add(String.join(" → ", path) + " → " + start);
                    } else if (seen.add(next)) {
                        List<String> longer = new ArrayList<>(path);
                        longer.add(next);
                        paths.add(longer);
                    }
                }
            }
        }
        assertThat(uses).containsKeys("", "pipeline", "port", "state", "steps");
        assertThat(cycles).isEmpty();
    }
}
