package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.Json;
import dev.baton.deploy.Deployer;
import dev.baton.deploy.state.DeployState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * examples/reference-pipeline: its baton.yml plans a deploy that does each of the reference's 17
 * steps (no server needed: a plan connects to nothing for it), and its workflow file has the
 * structure GitHub Actions requires.
 */
class ReferenceExampleTest {
    static final Path EXAMPLE = Path.of(System.getProperty("examples.dir", "../examples")).resolve("reference-pipeline");

    @TempDir
    Path work;

    @Test
    @SuppressWarnings("unchecked")
    void thePlanOfTheExampleDoesTheReferencesSeventeenSteps() throws Exception {
        Files.copy(EXAMPLE.resolve("baton.yml"), work.resolve("baton.yml"));
        // blue serves: the plan of a second deploy, so that the old colour is drained and stopped
        new DeployState("blue", null, "f23423398b2a", "r0", null, "2026-11-28T10:00:00Z").save(work.resolve(".baton"));
        Map<String, String> env = Map.of("PRODUCTION_HOST", "203.0.113.10", "DATABASE_URL",
                "postgres://deploy:s3cret@127.0.0.1:5432/boardofone", "NTFY_TOPIC", "boardofone-deploys", "HOME", work.toString());

        BatonProcess.Result r = BatonProcess.inProcess(work, env, "deploy", "--plan", "--json", "--version", "1.0.0",
                "--confirm", "deploy-to-production");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).doesNotContain("s3cret");
        Map<String, Object> plan = (Map<String, Object>) Json.parse(r.out());
        assertThat(plan).containsEntry("active", "blue").containsEntry("target", "green").containsEntry("version", "1.0.0");
        Map<String, Map<String, Object>> steps = new LinkedHashMap<>();
        for (Object s : (List<Object>) plan.get("steps")) {
            steps.put((String) ((Map<String, Object>) s).get("step"), (Map<String, Object>) s);
        }
        assertThat(steps.keySet()).containsExactlyElementsOf(Stream.concat(Deployer.deploySteps().stream().map(s -> s.name()),
                Stream.of("Notify")).toList());

        // the reference's steps, each with what Baton's plan must say it does
        Object[][] reference = {
            {1, "validate confirmation", "Confirm", "needs --confirm deploy-to-production (given)"},
            {2, "security scanning", "Gates", "local $ uv run bandit -r backend/ -ll"},
            {2, "security scanning", "Gates", "local $ uv run safety check"},
            {3, "pre-deployment checks", "Gates", "staging health: GET https://staging.boardof.one/api/health must answer 2xx"},
            {4, "build images", "Build", "local $ docker build -f backend/Dockerfile.prod -t boardofone-api:1.0.0 backend"},
            {4, "push images", "Ship", "boardofone-frontend:1.0.0: saved here, gzip-compressed, and loaded on each of production"},
            {5, "detect environment", "DetectActive", "blue serves (state.json); the target is green"},
            {6, "shared infrastructure", "StartInfrastructure", "production $ docker start boardofone-supertokens"},
            {6, "shared infrastructure", "StartInfrastructure", "postgres: checked by tcp 127.0.0.1:5432 from production"},
            {7, "deploy target", "StartTarget", "production $ docker run -d --name boardofone-api-green"},
            {7, "deploy target", "StartTarget", "-p 203.0.113.10:3001:3001 --cpu-shares 102 boardofone-frontend:1.0.0"},
            {8, "health checks", "AwaitHealthy", "production: GET http://203.0.113.10:8001/api/health/redis until 2xx"},
            {9, "static assets", "PublishStatic", "production $ sudo -n chown -R -- www-data:www-data /var/www/boardofone/static/green"},
            {10, "migrations", "Migrate", "production $ docker exec boardofone-api-green uv run alembic upgrade head"},
            {11, "switch router", "SwitchTraffic", "production $ sudo -n nginx -t"},
            {11, "switch router", "SwitchTraffic", "production $ sudo -n systemctl reload nginx"},
            {12, "verify", "Verify", "has tables sessions, session_events, session_tasks"},
            {13, "stop old", "DrainAndStop", "production $ docker stop -t 10 boardofone-api-blue"},
            {14, "cleanup", "Cleanup", "prunes unused images older than 72h on every host"},
            {15, "post-deploy validation", "Validate", "GET http://127.0.0.1:80/api/health/redis until 2xx"},
            {16, "release", "Release", "local $ git tag -a v1.0.0-beta."},
            {17, "notify", "Notify", "tells ntfy https://ntfy.sh/boardofone-deploys"},
        };
        for (Object[] step : reference) {
            Map<String, Object> s = steps.get((String) step[2]);
            assertThat(s.get("runs")).as("reference step %s (%s) runs as %s", step[0], step[1], step[2]).isEqualTo(true);
            assertThat(text(s)).as("reference step %s (%s) in %s", step[0], step[1], step[2]).contains((String) step[3]);
        }
        assertThat(Stream.of(reference).map(s -> s[0]).distinct().count()).isEqualTo(17);
        assertThat(work.resolve(".baton/router.token")).as("a plan writes nothing").doesNotExist();
    }

    /** A step's notes and its commands as the text plan shows them. */
    @SuppressWarnings("unchecked")
    static String text(Map<String, Object> step) {
        Stream<String> notes = ((List<Object>) step.get("notes")).stream().map(String::valueOf);
        Stream<String> commands = ((List<Object>) step.get("commands")).stream().map(c -> {
            Map<String, Object> m = (Map<String, Object>) c;
            return m.get("where") + " $ " + String.join(" ", (List<String>) m.get("argv"));
        });
        return Stream.concat(notes, commands).collect(Collectors.joining("\n"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theWorkflowIsAManualDeployWithATypedConfirmationAPlanThenTheDeploy() throws Exception {
        String yaml = Files.readString(EXAMPLE.resolve(".github/workflows/deploy.yml"));
        Map<Object, Object> wf = new Yaml().load(yaml);
        // YAML 1.1 (SnakeYAML) reads the key `on` as true; GitHub reads it as "on"
        Map<String, Object> on = (Map<String, Object>) (wf.containsKey("on") ? wf.get("on") : wf.get(Boolean.TRUE));
        assertThat(on).as("triggers").containsOnlyKeys("workflow_dispatch");
        Map<String, Object> confirm = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) on.get("workflow_dispatch"))
                .get("inputs")).get("confirm");
        assertThat(confirm).containsEntry("required", true).containsEntry("type", "string").containsKey("description");
        Map<String, Object> jobs = (Map<String, Object>) wf.get("jobs");
        assertThat(jobs).isNotEmpty();
        for (Object j : jobs.values()) {
            Map<String, Object> job = (Map<String, Object>) j;
            assertThat(job).containsKeys("runs-on", "steps");
            List<Map<String, Object>> steps = (List<Map<String, Object>>) job.get("steps");
            for (Map<String, Object> step : steps) {
                assertThat(step.containsKey("uses") ^ step.containsKey("run")).as("a step uses an action or runs a command: " + step)
                        .isTrue();
            }
            List<String> runs = steps.stream().filter(s -> s.containsKey("run")).map(s -> (String) s.get("run")).toList();
            int plan = indexOf(runs, "deploy --plan");
            int deploy = indexOf(runs, "deploy --config baton.yml --confirm \"${{ inputs.confirm }}\"");
            assertThat(plan).as("the plan runs").isNotNegative();
            assertThat(deploy).as("the deploy runs after the plan, with the typed confirmation").isGreaterThan(plan);
            assertThat(String.join("\n", runs)).contains("${{ secrets.DEPLOY_SSH_KEY }}", "umask 077", "known_hosts");
        }
    }

    static int indexOf(List<String> runs, String needle) {
        for (int i = 0; i < runs.size(); i++) {
            if (runs.get(i).contains(needle)) {
                return i;
            }
        }
        return -1;
    }
}
