package dev.baton.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The public API (every class of dev.baton.migrate, found on disk, not listed by hand) must not
 * hand out types from dev.baton.migrate.internal.
 */
class PublicApiTest {
    /** Every class compiled into the API package, nested ones included. */
    static List<Class<?>> api() throws Exception {
        Path folder = Path.of(MigrationEngine.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolve("dev/baton/migrate");
        List<Class<?>> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).sorted().toList()) {
                String name = f.getFileName().toString();
                out.add(Class.forName("dev.baton.migrate." + name.substring(0, name.length() - ".class".length())));
            }
        }
        return out;
    }

    @Test
    void publicSignaturesUseNoInternalTypes() throws Exception {
        List<Class<?>> api = api();
        assertThat(api).contains(MigrationEngine.class, StatementLocks.class, AdvisoryLock.Holder.class);
        List<String> leaks = new ArrayList<>();
        for (Class<?> c : api) {
            if (!Modifier.isPublic(c.getModifiers())) {
                continue;
            }
            for (Method m : c.getDeclaredMethods()) {
                if (!Modifier.isPublic(m.getModifiers())) {
                    continue;
                }
                List<Class<?>> types = new ArrayList<>(List.of(m.getParameterTypes()));
                types.addAll(List.of(m.getExceptionTypes()));
                types.add(m.getReturnType());
                for (Class<?> t : types) {
                    if (t.getName().contains(".internal.")) {
                        leaks.add(c.getSimpleName() + "." + m.getName() + " uses " + t.getName());
                    }
                }
            }
            if (c.isRecord()) {
                for (RecordComponent rc : c.getRecordComponents()) {
                    if (rc.getType().getName().contains(".internal.")) {
                        leaks.add(c.getSimpleName() + "." + rc.getName() + " is " + rc.getType().getName());
                    }
                }
            }
        }
        assertThat(leaks).isEmpty();
    }
}
