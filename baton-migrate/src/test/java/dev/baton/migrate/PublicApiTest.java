package dev.baton.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The public API (dev.baton.migrate) must not hand out types from dev.baton.migrate.internal. */
class PublicApiTest {
    static final List<Class<?>> API = List.of(MigrationEngine.class, MigrateSettings.class, DatabaseUrl.class,
            Revision.class, Change.class, Change.Sql.class, Change.Java.class, JavaMigration.class, Layout.class,
            Direction.class, AppliedRevision.class, HistoryEntry.class, Status.class, RunReport.class,
            RunReport.Step.class, VerifyReport.class, MigrationListener.class, MigrationFailedException.class);

    @Test
    void publicSignaturesUseNoInternalTypes() {
        List<String> leaks = new ArrayList<>();
        for (Class<?> c : API) {
            for (Method m : c.getDeclaredMethods()) {
                if (!Modifier.isPublic(m.getModifiers())) {
                    continue;
                }
                List<Class<?>> types = new ArrayList<>(List.of(m.getParameterTypes()));
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
