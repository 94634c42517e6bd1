package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Each module's {@code internal} packages are its own: no other module's code imports them. */
class ModuleBoundariesTest {
    static final Map<String, String> PACKAGES = Map.of("baton-core", "dev.baton", "baton-migrate", "dev.baton.migrate",
            "baton-proxy", "dev.baton.proxy", "baton-deploy", "dev.baton.deploy", "baton-cli", "dev.baton.cli");
    static final Pattern INTERNAL = Pattern.compile("\\b(dev\\.baton\\.[a-z]+)\\.internal\\.");

    @Test
    void noModuleUsesAnotherModulesInternals() throws IOException {
        List<String> leaks = new ArrayList<>();
        int files = 0;
        for (Map.Entry<String, String> module : PACKAGES.entrySet()) {
            Path sources = Path.of("..", module.getKey(), "src", "main", "java");
            try (Stream<Path> all = Files.walk(sources)) {
                for (Path f : all.filter(p -> p.toString().endsWith(".java")).toList()) {
                    files++;
                    Matcher m = INTERNAL.matcher(Files.readString(f));
                    while (m.find()) {
                        if (!m.group(1).equals(module.getValue())) {
                            leaks.add(f + " uses " + m.group(0));
                        }
                    }
                }
            }
        }
        assertThat(files).isGreaterThan(100);
        assertThat(leaks).isEmpty();
    }
}
