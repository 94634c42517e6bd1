package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.deploy.Deployer;
import dev.baton.deploy.pipeline.Step;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The step lists that `--help` teaches are the steps that run. */
class DeployHelpTest {
    @TempDir
    Path work;

    @Test
    void deployAndRollbackHelpListTheirStepsInOrder() {
        String deploy = BatonProcess.inProcess(work, Map.of(), "deploy", "--help").out().replaceAll("\\s+", " ");
        assertThat(deploy).contains("Steps: " + String.join(", ", Deployer.deploySteps().stream().map(Step::name).toList())
                + "; then Notify");
        String rollback = BatonProcess.inProcess(work, Map.of(), "rollback", "--help").out().replaceAll("\\s+", " ");
        assertThat(rollback).contains("Steps: " + String.join(", ", Deployer.rollbackSteps().stream().map(Step::name).toList())
                + "; then Notify");
    }

    @Test
    void theVariablesTheHelpNamesAreShownAsWrittenNotExpanded() {
        // picocli expands ${...} in help texts (a system property: null); the help means baton.yml's
        assertThat(BatonProcess.inProcess(work, Map.of(), "deploy", "--help").out())
                .contains("as ${baton.version} (e.g. image: shop:${baton.version})").doesNotContain("shop:null");
        assertThat(BatonProcess.inProcess(work, Map.of(), "rollback", "--help").out()).contains("so ${VERSION} and the like");
    }
}
