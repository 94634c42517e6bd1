package dev.baton.cli;

import static dev.baton.migrate.testing.Files2.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad baton.yml files: each refused with the key path, the line and what to do, exit 2, nothing
 * changed. In process (the same code the jar runs); {@link ConfigErrorsIT} checks one through the real jar.
 */
class ConfigErrorsTest {
    static final String GOOD = """
            app: shop
            services:
              api:
                command: [java, -jar, app.jar]
                ports: {blue: 8000, green: 8001}
                health: [/health]
            router:
              listen: 127.0.0.1:8080
            """;

    @TempDir
    Path work;

    String deployError(String yaml, Map<String, String> env) throws Exception {
        write(work.resolve("baton.yml"), yaml);
        BatonProcess.Result r = BatonProcess.inProcess(work, env, "deploy");
        assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
        assertThat(work.resolve(".baton")).as("nothing written on a config error").doesNotExist();
        return r.err().strip();
    }

    @Test
    void badPortNamesKeyPathAndLine() throws Exception {
        String yaml = GOOD.replace("green: 8001", "green: 80x1");
        assertThat(deployError(yaml, Map.of()))
                .isEqualTo("error: services.api.ports.green: expected a port number between 1 and 65535, got \"80x1\" (baton.yml:5)");
    }

    @Test
    void aRouterOnPortZeroIsRefusedForAFixedPort() throws Exception {
        // 0 would be any free port, another at each start: the deploy ran 13 s and failed at Validate
        // (`baton proxy` by hand may have it: it prints the port, ProxyCliIT)
        assertThat(deployError(GOOD.replace("127.0.0.1:8080", "127.0.0.1:0"), Map.of())).isEqualTo("error: router.listen: port 0"
                + " means any free port, a different one at each start; a deploy needs the router at a fixed one, e.g."
                + " 127.0.0.1:8080 (baton.yml:8)");
    }

    @Test
    void unknownKeyIsAnError() throws Exception {
        String yaml = GOOD.replace("    health:", "    helth:");
        assertThat(deployError(yaml, Map.of())).startsWith("error: services.api.helth: unknown key; expected one of [command,")
                .endsWith("(baton.yml:6)");
    }

    @Test
    void missingEnvironmentVariableIsNamed() throws Exception {
        String yaml = GOOD.replace("app.jar]", "\"${APP_JAR}\"]");
        assertThat(deployError(yaml, Map.of())).isEqualTo("error: services.api.command[2]: environment variable APP_JAR is not set;"
                + " export it or remove ${APP_JAR} (baton.yml:4)");
    }

    @Test
    void aBadVersionIsRefusedNamingWhereItCameFrom() throws Exception {
        write(work.resolve("baton.yml"), GOOD);
        BatonProcess.Result flag = BatonProcess.inProcess(work, Map.of(), "deploy", "--version", "1.0 beta");
        assertThat(flag.exitCode()).as(flag.err()).isEqualTo(2);
        assertThat(flag.err()).startsWith("error: --version: \"1.0 beta\" is not a version; write letters, digits, _ . -");
        assertThat(deployError(GOOD, Map.of("BATON_VERSION", "../../etc"))).startsWith("error: BATON_VERSION: \"../../etc\" is not a version");
    }

    @Test
    void theVersionIsFilledInWhereBatonYmlSaysBatonVersion() throws Exception {
        String yaml = GOOD.replace("8080", "${baton.version}");
        assertThat(deployError(yaml, Map.of("BATON_VERSION", "80x0"))).isEqualTo("error: router.listen: expected host:port such as"
                + " 127.0.0.1:8080, got \"127.0.0.1:80x0\" (baton.yml:8)");
        assertThat(deployError(GOOD.replace("8080", "${baton.nothing}"), Map.of()))
                .isEqualTo("error: router.listen: ${baton.nothing} has no value here: Baton fills it in for baton deploy only (baton.yml:8)");
    }

    @Test
    void defaultsApplyWhenTheVariableIsUnset() throws Exception {
        String yaml = GOOD.replace("8080", "${ROUTER_PORT:-80x0}");
        assertThat(deployError(yaml, Map.of())).isEqualTo("error: router.listen: expected host:port such as 127.0.0.1:8080,"
                + " got \"127.0.0.1:80x0\" (baton.yml:8)");
    }

    @Test
    void commandMustBeAnArgvList() throws Exception {
        String yaml = GOOD.replace("[java, -jar, app.jar]", "java -jar app.jar");
        assertThat(deployError(yaml, Map.of())).startsWith("error: services.api.command: expected a list of program and"
                + " arguments, e.g. [alembic, upgrade, head]");
    }

    @Test
    void samePortTwiceIsRefused() throws Exception {
        String yaml = GOOD.replace("green: 8001", "green: 8000");
        assertThat(deployError(yaml, Map.of())).isEqualTo("error: services.api.ports: the two colours need different ports;"
                + " got {blue=8000, green=8000} (baton.yml:5)");
    }

    @Test
    void emptyFileNamesTheFirstMissingKey() throws Exception {
        assertThat(deployError("", Map.of())).isEqualTo("error: (top level): missing key app (the application's name,"
                + " e.g. app: shop) (baton.yml:1)");
    }

    @Test
    void wrongConfirmationChangesNothing() throws Exception {
        write(work.resolve("baton.yml"), GOOD.replace("app: shop", "app: shop\nconfirm: ship-it\nstate_dir: state"));
        BatonProcess.Result r = BatonProcess.inProcess(work, Map.of(), "deploy", "--confirm", "ship-that");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("✗ Confirm", "--confirm does not match confirm: in baton.yml; nothing was changed",
                "Deploy of shop REFUSED at Confirm", "Refused: nothing was started or changed, and nobody was notified")
                .doesNotContain("Rolled back", "traffic stays on");
        assertThat(Files.readString(work.resolve("state/audit.jsonl"))).contains("\"outcome\":\"refused\"", "\"notified\":[]");
        assertThat(Files.exists(work.resolve("state/state.json"))).isFalse();
        assertThat(Files.exists(work.resolve("state/run/router.pid"))).as("no router started").isFalse();
    }

    @Test
    void initWritesAConfigThatReads() throws Exception {
        BatonProcess.Result r = BatonProcess.inProcess(work, Map.of(), "init");
        assertThat(r.exitCode()).as(r.err()).isZero();
        String text = Files.readString(work.resolve("baton.yml"));
        assertThat(text).contains("app: demo", "confirm: deploy-demo", "ports: {blue: 8000, green: 8001}");
        BatonProcess.Result again = BatonProcess.inProcess(work, Map.of(), "init");
        assertThat(again.exitCode()).isEqualTo(2);
        assertThat(again.err()).contains("exists; pass --force to overwrite it");
        Files.writeString(work.resolve("baton.yml"), "app: mine # a day's work\n");
        BatonProcess.Result forced = BatonProcess.inProcess(work, Map.of(), "init", "--force");
        assertThat(forced.exitCode()).as(forced.err()).isZero();
        assertThat(forced.err()).contains("kept the file it replaced as " + work.resolve("baton.yml.bak"));
        assertThat(Files.readString(work.resolve("baton.yml.bak"))).isEqualTo("app: mine # a day's work\n");
        assertThat(BatonProcess.inProcess(work, Map.of(), "init", "--force").err()).as("never over an older copy")
                .contains("kept the file it replaced as " + work.resolve("baton.yml.bak.1"));
        assertThat(Files.readString(work.resolve("baton.yml.bak"))).isEqualTo("app: mine # a day's work\n");
        BatonProcess.Result history = BatonProcess.inProcess(work, Map.of(), "history");
        assertThat(history.exitCode()).as(history.err()).isZero();
        assertThat(history.out()).contains("no deploys yet");
    }

    @Test
    void initAtAFolderSaysSoWithOrWithoutForce() throws Exception {
        Files.createDirectories(work.resolve("baton.yml"));
        for (String[] args : List.of(new String[] {"init"}, new String[] {"init", "--force"})) {
            BatonProcess.Result r = BatonProcess.inProcess(work, Map.of(), args);
            assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
            assertThat(r.err().strip()).isEqualTo("error: " + work.resolve("baton.yml") + " is a folder; pass --config with the"
                    + " path of the file to write, e.g. --config " + work.resolve("baton.yml/baton.yml"));
        }
        assertThat(Files.isDirectory(work.resolve("baton.yml"))).isTrue();
    }

    @Test
    void initMakesAFolderThatIsMissingAndNamesOneItCannotWriteIn() throws Exception {
        BatonProcess.Result r = BatonProcess.inProcess(work, Map.of(), "init", "--app", "shop", "-c", "deploy/prod/baton.yml");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(Files.readString(work.resolve("deploy/prod/baton.yml"))).contains("app: shop");

        Files.writeString(work.resolve("a-file"), "not a folder\n");
        BatonProcess.Result refused = BatonProcess.inProcess(work, Map.of(), "init", "-c", "a-file/baton.yml");
        assertThat(refused.exitCode()).as(refused.err()).isEqualTo(2);
        assertThat(refused.err()).isEqualTo("error: cannot write " + work.resolve("a-file/baton.yml") + " (" + work.resolve("a-file")
                + " is a file, not a folder); pass --config with a file in a folder you may write to\n");
    }

    @Test
    void aHistoryLimitBelowOneIsAUsageError() throws Exception {
        write(work.resolve("baton.yml"), GOOD);
        for (String limit : new String[] {"0", "-1"}) {
            BatonProcess.Result r = BatonProcess.inProcess(work, Map.of(), "history", "--limit", limit);
            assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
            assertThat(r.err().strip()).isEqualTo("error: --limit " + limit + ": how many records to show, 1 or more, e.g. --limit 50");
        }
        // more than an int holds is still "at most that many": all of them, not a parse error
        BatonProcess.Result all = BatonProcess.inProcess(work, Map.of(), "history", "--limit", "99999999999");
        assertThat(all.exitCode()).as(all.err()).isZero();
    }

    @Test
    void aDemoRateThatIsNotARateIsRefusedBeforeAnythingStarts() throws Exception {
        for (String rate : new String[] {"0", "-5", "100001", "99999999999"}) { // the last: past an int, still the range
            BatonProcess.Result r = BatonProcess.inProcess(work, Map.of(), "demo", "--rate", rate);
            assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
            assertThat(r.err().strip()).isEqualTo("error: --rate " + rate + ": requests per second, from 1 to 100000, e.g. --rate 200");
        }
        try (var left = Files.list(work)) {
            assertThat(left).as("nothing made").isEmpty();
        }
    }
}
