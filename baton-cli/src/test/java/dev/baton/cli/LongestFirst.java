package dev.baton.cli;

import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;

/**
 * The integration test classes, longest first: they run side by side (baton.it.threads), and a
 * long class started last would run alone at the end while the others' threads idle. The list
 * is of the classes that take over a minute on the CI machine (docs/benchmarks.md, issue 8);
 * the rest follow in name order.
 */
public final class LongestFirst implements ClassOrderer {
    static final List<String> LONGEST = List.of("DeployOptionsIT", "DeployRecoveryIT", "DeployCliIT", "ShipIT", "KillAfterMigrationIT",
            "KillAnywhereIT", "SshDeployIT", "ContainerDeployIT", "MultiHostDeployIT", "DemoCliIT", "RouterRecoveryIT", "NginxDeployIT");

    @Override
    public void orderClasses(ClassOrdererContext context) {
        context.getClassDescriptors().sort(Comparator.comparingInt((org.junit.jupiter.api.ClassDescriptor d) -> {
            int i = LONGEST.indexOf(d.getTestClass().getSimpleName());
            return i < 0 ? LONGEST.size() : i;
        }).thenComparing(d -> d.getTestClass().getSimpleName()));
    }
}
