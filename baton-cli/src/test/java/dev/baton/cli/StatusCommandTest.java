package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.testing.Ports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code baton status}, {@code history} and a refused {@code rollback}, in process: what they cannot do is named, and nothing is left running. */
class StatusCommandTest {
    @TempDir
    Path work;

    /** baton.yml for an app on free ports, never deployed; {@code command} and {@code more} vary it. */
    void config(String command, String more) throws Exception {
        Files.writeString(work.resolve("baton.yml"), MinimalConfig.of(command, Ports.free(), Ports.free()) + more);
    }

    @Test
    void aDatabaseThatDoesNotAnswerIsNamedAndTheExitCodeIsOne() throws Exception {
        int nothing = Ports.free();
        config("[java, -jar, app.jar]", "migrations:\n  url: \"postgres://postgres@127.0.0.1:" + nothing + "/shop\"\n");
        BatonProcess.Result text = BatonProcess.inProcess(work, Map.of(), "status");
        assertThat(text.exitCode()).as(text.err()).isEqualTo(1);
        assertThat(text.out()).contains("router:    not running", "lock:      unknown (").doesNotContain("held by unknown");
        assertThat(text.err()).contains("baton status could not read all it shows:", "revision: ", "lock: ",
                "127.0.0.1:" + nothing).doesNotContain("Exception");

        BatonProcess.Result json = BatonProcess.inProcess(work, Map.of(), "status", "--json");
        assertThat(json.exitCode()).isEqualTo(1);
        assertThat(json.out()).contains("\"unreadable\":[\"revision: ", "\"lock_holder\":\"unknown: ");
    }

    @Test
    void statusAndHistoryNeedNoneOfADeploysVariables() throws Exception {
        config("[java, -jar, \"app-${VERSION}.jar\"]\n    env: {API_KEY: \"${API_KEY}\"}", "");
        BatonProcess.Result status = BatonProcess.inProcess(work, Map.of(), "status");
        assertThat(status.exitCode()).as(status.err()).isZero();
        assertThat(status.out()).contains("active:    (never deployed)");
        assertThat(BatonProcess.inProcess(work, Map.of(), "history").exitCode()).isZero();
        BatonProcess.Result deploy = BatonProcess.inProcess(work, Map.of(), "deploy");
        assertThat(deploy.exitCode()).isEqualTo(2);
        assertThat(deploy.err()).contains("environment variable VERSION is not set");
    }

    @Test
    void aRollbackWithNothingToRollBackToSaysSoAndStartsNoRouter() throws Exception {
        config("[java, -jar, app.jar]", "");
        BatonProcess.Result r = BatonProcess.inProcess(work, Map.of(), "rollback");
        assertThat(r.exitCode()).as(r.err()).isEqualTo(3);
        assertThat(r.err()).contains("nothing to roll back to: no deploy has succeeded yet");
        assertThat(work.resolve(".baton/run/router.pid")).as("no router started in the background").doesNotExist();
        // the refused rollback is in the history, with no colour on either side (before: "-→null")
        BatonProcess.Result history = BatonProcess.inProcess(work, Map.of(), "history");
        assertThat(history.out()).contains(" -→- ").doesNotContain("null");
        // and status shows it as the last thing that happened
        BatonProcess.Result status = BatonProcess.inProcess(work, Map.of(), "status");
        assertThat(status.out()).containsPattern("last: +rollback \\S+ refused at RollbackColours, \\S+Z by ");
    }

    @Test
    void aPasswordWithSlashesAndAtSignsIsNeverPrinted() throws Exception {
        int nothing = Ports.free();
        // before: "database URL postgres://postgres:ab/SECRETslash@... has no host", and with @, all after the first @
        config("[java, -jar, app.jar]", "migrations:\n  url: \"postgres://postgres:ab/SECRET@slash:x@127.0.0.1:" + nothing
                + "/shop\"\n  dir: migrations\n");
        Files.createDirectories(work.resolve("migrations"));
        BatonProcess.Result status = BatonProcess.inProcess(work, Map.of(), "status");
        BatonProcess.Result json = BatonProcess.inProcess(work, Map.of(), "status", "--json");
        BatonProcess.Result deploy = BatonProcess.inProcess(work, Map.of(), "deploy");
        BatonProcess.Result migrate = BatonProcess.inProcess(work, Map.of(), "migrate", "current");
        assertThat(status.exitCode()).isEqualTo(1);
        assertThat(deploy.exitCode()).as(deploy.err()).isEqualTo(3);
        assertThat(migrate.exitCode()).as(migrate.err()).isEqualTo(3);
        String all = status.out() + status.err() + json.out() + json.err() + deploy.out() + deploy.err() + migrate.out() + migrate.err();
        assertThat(all).contains("127.0.0.1:" + nothing).doesNotContain("SECRET", "slash", "ab/").doesNotContain("Exception");
    }
}
