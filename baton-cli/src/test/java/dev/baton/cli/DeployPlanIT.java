package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.Json;
import dev.baton.deploy.Deployer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** {@code baton deploy --plan} against a deployed demo: it tells the whole deploy and changes nothing. */
class DeployPlanIT extends DemoTestBase {
    @Test
    void thePlanTellsEveryStepAndChangesNothing() throws Exception {
        demo.deployed(1);
        Snapshot before = snapshot();

        BatonProcess.Result text = demo.inProcess(2, "deploy", "--plan", "--sql", "--version", "2.0.0", "--confirm", "deploy-demo");
        assertThat(text.exitCode()).as(text.err()).isZero();
        assertThat(text.out()).startsWith("Plan: deploy demo 2.0.0 (version from --version)")
                .contains("blue serves; green would be started. Nothing has been changed.")
                .contains("needs --confirm deploy-demo (given)")
                .containsPattern("StartTarget +local: api green on port \\d+")
                .contains("$ /usr/bin/setsid java")
                .contains("(env: BATON_COLOR, BATON_HOST, DATABASE_URL, DEMO_")
                .containsPattern("Migrate +a1c0de000001 → 1 revision\\(s\\)")
                .contains("b2c0de000002  add item priority")
                .contains("ALTER TABLE items ADD COLUMN priority", "INSERT INTO \"baton_history\"")
                .containsPattern("SwitchTraffic +blue → green at http://127.0.0.1:\\d+")
                .containsPattern("DrainAndStop +waits for the requests in flight to blue")
                .doesNotContain("postgres://postgres@", "password=");
        for (var step : Deployer.deploySteps()) {
            assertThat(text.out()).as("every step of a deploy is in the plan").containsPattern("\\d\\. " + step.name() + " ");
        }
        assertThat(snapshot()).as("nothing changed by --plan").isEqualTo(before);

        BatonProcess.Result json = demo.inProcess(2, "deploy", "--plan", "--json");
        assertThat(json.exitCode()).as(json.err()).isZero();
        @SuppressWarnings("unchecked")
        Map<String, Object> plan = (Map<String, Object>) Json.parse(json.out());
        assertThat(plan).containsEntry("app", "demo").containsEntry("active", "blue").containsEntry("target", "green");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> steps = (List<Map<String, Object>>) plan.get("steps");
        assertThat(steps).extracting(s -> s.get("step")).containsExactlyElementsOf(Stream.concat(
                Deployer.deploySteps().stream().map(s -> s.name()), Stream.of("Notify")).toList());
        Map<String, Object> start = steps.stream().filter(s -> s.get("step").equals("StartTarget")).findFirst().orElseThrow();
        assertThat(start.get("commands").toString()).contains("where=local", "argv=[/usr/bin/setsid, java");
        assertThat(steps.stream().filter(s -> s.get("step").equals("Confirm")).findFirst().orElseThrow().get("notes").toString())
                .contains("(not given)");
        assertThat(snapshot()).as("nothing changed by --plan --json").isEqualTo(before);
    }

    @Test
    void aDeployReusesItsPlansLintAndAnEditedMigrationIsLintedAgain() throws Exception {
        demo.deployed(1);
        Path migrations = Files.createDirectories(work.resolve("migrations"));
        try (Stream<Path> files = Files.list(DemoFixture.RELEASES.resolve("v2/migrations"))) {
            for (Path f : files.toList()) {
                Files.copy(f, migrations.resolve(f.getFileName()));
            }
        }
        demo.ws.edit(DemoFixture.RELEASES_YAML, migrations.toString());
        String[] env = {"XDG_CACHE_HOME", work.resolve("cache").toString()};

        BatonProcess.Result plan = demo.baton(2, env, "deploy", "--plan");
        assertThat(plan.exitCode()).as(plan.err()).isZero();
        assertThat(plan.err()).contains("linting on shadow database");
        assertThat(plan.out()).contains("no findings in 1 pending revision(s)", "reuses this verdict").doesNotContain("same inputs");

        Path pending = migrations.resolve("b2c0de000002_add_item_priority.sql");
        Files.writeString(pending, Files.readString(pending).replace("id * 10;", "id * 10 + 1;"));
        BatonProcess.Result again = demo.baton(2, env, "deploy", "--plan");
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.err()).as("an edited migration is linted again").contains("linting on shadow database");
        assertThat(again.out()).doesNotContain("same inputs");

        BatonProcess.Result deploy = demo.deploy(2, env);
        assertThat(deploy.exitCode()).as(deploy.err()).isZero();
        assertThat(deploy.err()).containsPattern("LintMigrations .*no findings in 1 pending revision\\(s\\) \\(linted at \\S+, same inputs\\)")
                .doesNotContain("linting on shadow database");
        try (Stream<Path> files = Files.list(work.resolve("cache/baton/lint"))) {
            assertThat(files.toList()).as("one verdict per set of inputs").hasSize(2);
        }
    }

    @Test
    void sqlWithoutPlanIsAUsageError() throws Exception {
        BatonProcess.Result r = demo.inProcess(1, "deploy", "--sql");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--sql goes with --plan");
    }

    /** Everything a deploy could change: the state folder, the router, the schema and its history, the processes. */
    record Snapshot(Map<String, String> files, String routerActive, List<String> schema,
                    List<String> history, List<String> processes) {}

    Snapshot snapshot() throws Exception {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> all = Files.walk(demo.ws.stateDir())) {
            all.filter(Files::isRegularFile).forEach(f -> {
                try {
                    files.put(demo.ws.stateDir().relativize(f) + " " + Files.getLastModifiedTime(f), Files.size(f) + "");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        List<String> schema = demo.db.column("SELECT table_name || '.' || column_name || ' ' || data_type FROM information_schema.columns"
                + " WHERE table_schema = 'public' ORDER BY 1");
        List<String> history = demo.db.column("SELECT count(*) || ' rows, last ' || coalesce(max(id), 0) FROM baton_history");
        // (the lint's shadow database is dropped again: LintTest checks that; other test classes lint at the same
        // time on this server, so a count of shadow databases here would be theirs too)
        // the router supervisor's own children come and go (it keeps a warm standby): not the plan's doing
        long supervisor = Long.parseLong(Files.readString(demo.ws.stateDir().resolve("run/router-supervisor.pid")).split(" ")[0]);
        List<String> processes = ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains(work.toString()))
                .filter(p -> p.parent().map(pp -> pp.pid() != supervisor).orElse(true))
                .map(p -> p.pid() + "").sorted().toList();
        return new Snapshot(files, demo.routerStatus().active(), schema, history, processes);
    }
}
