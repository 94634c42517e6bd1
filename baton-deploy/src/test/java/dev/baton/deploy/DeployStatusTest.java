package dev.baton.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.deploy.DeployStatus.Disagreement;
import dev.baton.deploy.fakes.FakeDeploy;
import dev.baton.deploy.fakes.FakeRouter;
import dev.baton.deploy.lock.FileDeployLock;
import dev.baton.deploy.state.AuditLog;
import dev.baton.deploy.state.DeployState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code baton status} calls a disagreement between state.json and what serves, and what it says to type. */
class DeployStatusTest {
    @TempDir
    Path dir;

    List<Disagreement> disagreements(FakeDeploy d) {
        return DeployStatus.read(d.config, d.servers, new FileDeployLock(d.config.stateDir())).disagreements();
    }

    @Test
    void whatServesAsStateJsonSaysIsNoDisagreement() throws Exception {
        FakeDeploy d = new FakeDeploy(dir, 1, "blue");
        new DeployState("blue", null, "a1", "r1", null, "t").save(d.config.stateDir());
        d.runtimes.get(0).running.add("api-blue");

        assertThat(disagreements(d)).isEmpty();
    }

    @Test
    void theLastDeployIsOneLineWhateverItsOutcome() throws Exception {
        FakeDeploy d = new FakeDeploy(dir, 1, "blue");
        new DeployState("blue", null, "a1", "r1", null, "t").save(d.config.stateDir());
        d.runtimes.get(0).running.add("api-blue");
        assertThat(DeployStatus.read(d.config, d.servers, new FileDeployLock(d.config.stateDir())).lastLine()).isEmpty();

        Path audit = new AuditLog(d.config.stateDir()).file();
        Files.writeString(audit, "{\"kind\":\"deploy\",\"release\":\"20261130-180716\",\"outcome\":\"rolled_back\","
                + "\"failed_step\":\"WarmUp\",\"started\":\"2026-11-30T18:07:16.531327494Z\",\"by\":\"ci@build-1\"}\n");

        assertThat(DeployStatus.read(d.config, d.servers, new FileDeployLock(d.config.stateDir())).lastLine())
                .hasValue("deploy 20261130-180716 rolled back at WarmUp, 2026-11-30T18:07:16Z by ci@build-1");
    }

    @Test
    void aRuntimeThatDoesNotAnswerIsUnknownNotStopped() throws Exception {
        FakeDeploy d = new FakeDeploy(dir, 1, "blue");
        new DeployState("blue", null, "a1", "r1", null, "t").save(d.config.stateDir());
        d.runtimes.get(0).running.add("api-blue");
        d.runtimes.get(0).silent = true;

        DeployStatus st = DeployStatus.read(d.config, d.servers, new FileDeployLock(d.config.stateDir()));
        assertThat(st.services().get("api").get("blue").error()).isEqualTo("web-1: cannot tell whether api-blue runs: the engine"
                + " does not answer");
        // before: "api blue does not run, though blue serves; run: baton recover", which could not start it either
        assertThat(st.disagreements()).singleElement().satisfies(dis -> {
            assertThat(dis.what()).startsWith("web-1: cannot tell whether api-blue runs");
            assertThat(dis.fix()).contains("systemctl start docker");
        });
    }

    @Test
    void aStateFileThatNamesAnotherColourThanTheRouterServesIsForRecover() throws Exception {
        FakeDeploy d = new FakeDeploy(dir, 1, "blue"); // a state.json from a backup, say
        new DeployState("green", "blue", "a1", "r1", null, "t").save(d.config.stateDir());
        d.runtimes.get(0).running.add("api-blue");

        assertThat(disagreements(d)).containsExactly(
                new Disagreement("state.json says green serves, the router serves blue", "baton recover"));
    }

    @Test
    void aRouterThatServesNoColourIsForRecover() throws Exception {
        FakeDeploy d = new FakeDeploy(dir, 1, null); // nginx whose site link was removed, say
        new DeployState("blue", null, "a1", "r1", null, "t").save(d.config.stateDir());
        d.runtimes.get(0).running.add("api-blue");

        assertThat(disagreements(d)).containsExactly(
                new Disagreement("state.json says blue serves, the router serves no colour", "baton recover"));
    }

    @Test
    void aStateFileThatNamesNoColourOfTheAppIsForRecover() throws Exception {
        FakeDeploy d = new FakeDeploy(dir, 1, "blue");
        new DeployState("purple", null, "a1", "r1", null, "t").save(d.config.stateDir());

        assertThat(disagreements(d)).singleElement().satisfies(x -> {
            assertThat(x.what()).isEqualTo("state.json says purple serves, which is not a colour of this app (blue, green)");
            assertThat(x.fix()).isEqualTo("baton recover");
        });
    }

    @Test
    void aStoppedRouterAndADeadServingColourAreForRecover() throws Exception {
        FakeDeploy d = new FakeDeploy(dir, 1, "green");
        new DeployState("green", "blue", "a1", "r1", null, "t").save(d.config.stateDir());

        assertThat(disagreements(d)).containsExactly(new Disagreement("api green does not run, though green serves",
                "baton recover (starts it again as it last ran)"));

        d.runtimes.get(0).running.add("api-green");
        d.routers.forEach(FakeRouter::stopped);
        assertThat(disagreements(d)).containsExactly(
                new Disagreement("the router is not running, so nothing serves http://127.0.0.1:8080", "baton recover"));
        // nginx is the server's to start, not Baton's
        d.routers.forEach(r -> r.typed("nginx"));
        assertThat(disagreements(d)).containsExactly(new Disagreement("nginx is not running, so nothing serves http://127.0.0.1:8080",
                "systemctl start nginx (or however this server starts it)"));
    }

    @Test
    void onSeveralHostsEachRouterAndEachServingColourIsChecked() throws Exception {
        FakeDeploy d = new FakeDeploy(dir, 2, "blue");
        new DeployState("blue", null, "a1", "r1", null, "t").save(d.config.stateDir());
        d.runtimes.get(0).running.add("api-blue");
        d.routers.get(1).switchTo("green"); // switched by hand on web-2, where nothing runs

        assertThat(disagreements(d)).containsExactly(
                new Disagreement("state.json says blue serves, the router on web-2 serves green", "baton recover"),
                new Disagreement("api green does not run on web-2, though green serves",
                        "baton recover (starts it again as it last ran)"));
    }
}
