package dev.baton.cli;

import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;

/**
 * The integration test classes, longest first: they run side by side (baton.it.threads), and a
 * long class started last would run alone at the end while the others' threads idle. The list
 * is of the classes that take over five seconds, in the order of their time when each runs alone
 * (docs/benchmarks.md, test suite time), except that the two classes that take Podman's run state
 * in turn ({@link ContainerEngine#PODMAN_RUN_STATE}) start far apart, so that neither holds a thread
 * waiting for the other; the rest follow in name order.
 */
public final class LongestFirst implements ClassOrderer {
    static final List<String> LONGEST = List.of("DeployCliIT", "MultiHostDeployIT", "ShipIT", "RouterRecoveryIT", "DeployRecoveryIT",
            "DemoCliIT", "DeployOptionsIT", "KillAfterMigrationIT", "MigrateCliIT", "KillAnywhereIT", "ContainerDeployIT", "SshDeployIT",
            "NginxDeployIT", "StartPriorityIT");

    @Override
    public void orderClasses(ClassOrdererContext context) {
        context.getClassDescriptors().sort(Comparator.comparingInt((org.junit.jupiter.api.ClassDescriptor d) -> {
            int i = LONGEST.indexOf(d.getTestClass().getSimpleName());
            return i < 0 ? LONGEST.size() : i;
        }).thenComparing(d -> d.getTestClass().getSimpleName()));
    }
}
