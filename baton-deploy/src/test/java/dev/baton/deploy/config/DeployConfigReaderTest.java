package dev.baton.deploy.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.BatonException;
import dev.baton.ExitCode;
import dev.baton.migrate.StatementLocks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeployConfigReaderTest {
    @TempDir
    Path dir;

    DeployConfig read(String yaml, Map<String, String> env) throws Exception {
        Path file = dir.resolve("baton.yml");
        Files.writeString(file, yaml);
        return DeployConfigReader.read(file, env);
    }

    String error(String yaml) {
        try {
            read(yaml, Map.of());
        } catch (BatonException e) {
            assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
            return e.getMessage();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("expected an error");
    }

    static final String MINIMAL = """
            app: shop
            services:
              api:
                command: [java, -jar, api.jar]
                ports: {green: 9001, blue: 9000}
                health: [/health]
              web:
                shell: "exec node server.js"
                ports: {green: 3001, blue: 3000}
                health: [/]
            router:
              listen: 127.0.0.1:8080
              routes:
                - {path: /api, service: api}
                - {path: /, service: web}
            """;

    @Test
    void minimalConfigGetsDefaults() throws Exception {
        DeployConfig c = read(MINIMAL, Map.of());
        assertThat(c.app()).isEqualTo("shop");
        assertThat(c.colours()).containsExactly("green", "blue");
        assertThat(c.router().initialColour()).as("the first colour listed").isEqualTo("green");
        assertThat(c.other("green")).isEqualTo("blue");
        assertThat(c.stateDir()).isEqualTo(dir.resolve(".baton"));
        assertThat(c.deadlines()).isEqualTo(Deadlines.DEFAULT);
        assertThat(c.services().get("web").argv()).containsExactly("/bin/sh", "-c", "exec node server.js");
        assertThat(c.services().get("api").workDir()).isEqualTo(dir);
        assertThat(c.services().get("api").stopGrace()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.validate()).as("health paths the router sends to their own service: /health goes to web").containsExactly("/");
        assertThat(c.lockUrl()).isNull();
        assertThat(c.confirmToken()).isNull();
    }

    @Test
    void everySectionIsRead() throws Exception {
        DeployConfig c = read(MINIMAL.replace("app: shop", """
                app: shop
                confirm: ship-it
                state_dir: var/baton
                keep_failed_target: yes
                validate: [/api/version]
                deadlines: {health: 5s, drain: 500ms, lock: 1m}
                accessories:
                  db: {check: {tcp: "127.0.0.1:5432"}, start: [pg_ctlcluster, "15", main, start]}
                  cache: {check: {http: "http://127.0.0.1:6380/ping"}}
                  queue: {check: {command: [pgrep, rabbitmq]}}
                gates: [{name: tests, command: [make, test], timeout: 2m}, {http: "http://127.0.0.1:1/up"}]
                build: [{shell: "make dist", dir: web}]
                cleanup: [{command: [docker, image, prune, -f]}]
                migrations: {url: "postgres://u:${PW}@db/shop", dir: db/migrations, verify_tables: [users], statement_lock_timeout: 2s, lock_retries: 5}
                """), Map.of("PW", "secret"));
        assertThat(c.confirmToken()).isEqualTo("ship-it");
        assertThat(c.stateDir()).isEqualTo(dir.resolve("var/baton"));
        assertThat(c.keepFailedTarget()).isTrue();
        assertThat(c.validate()).containsExactly("/api/version");
        assertThat(c.deadlines().health()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.deadlines().drain()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.deadlines().lock()).isEqualTo(Duration.ofMinutes(1));
        assertThat(c.accessories().get("db").check()).isEqualTo(new Check.Tcp("127.0.0.1", 5432));
        assertThat(c.accessories().get("db").start()).containsExactly("pg_ctlcluster", "15", "main", "start");
        assertThat(c.accessories().get("cache").check()).isInstanceOf(Check.Http.class);
        assertThat(c.accessories().get("queue").check()).isEqualTo(new Check.Exec(List.of("pgrep", "rabbitmq")));
        assertThat(c.gates()).hasSize(2);
        assertThat(c.gates().get(0).timeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.gates().get(1).check().uri().toString()).isEqualTo("http://127.0.0.1:1/up");
        assertThat(c.build().get(0).dir()).isEqualTo(dir.resolve("web"));
        assertThat(c.cleanup().get(0).name()).isEqualTo("docker");
        assertThat(c.migrations().builtin()).isTrue();
        assertThat(c.migrations().dir()).isEqualTo(dir.resolve("db/migrations"));
        assertThat(c.migrations().settings(true, dir, dir).statementLocks())
                .isEqualTo(new StatementLocks(Duration.ofSeconds(2), 5));
        assertThat(read(MINIMAL + "migrations: {url: \"postgres://db/shop\"}\n", Map.of()).migrations().settings(true, dir, dir)
                .statementLocks()).as("the default").isEqualTo(StatementLocks.DEFAULT);
        assertThat(c.lockUrl()).as("the lock lives in the app's database").isEqualTo("postgres://u:secret@db/shop");
    }

    @Test
    void aReleaseFolderIsWhereTheServicesStartOnEachServer() throws Exception {
        String yaml = MINIMAL.replace("    shell: \"exec node server.js\"\n", "    shell: \"exec node server.js\"\n    dir: web\n")
                + "runtime: {type: process, release: dist, keep_releases: 3}\n";
        DeployConfig here = read(yaml, Map.of("baton.version", "1.4.2"));
        assertThat(here.releases()).isEqualTo(new ReleaseUpload(dir.resolve("dist"), dir.resolve(".baton/releases").toString(), 3));
        assertThat(here.services().get("api").workDir()).isEqualTo(dir.resolve(".baton/releases/1.4.2"));
        assertThat(here.services().get("web").workDir()).as("dir: inside the release").isEqualTo(dir.resolve(".baton/releases/1.4.2/web"));
        DeployConfig servers = read(yaml.replace("router:\n", "hosts: [web-1.example.com]\nrouter:\n  type: nginx\n  nginx: {site: /etc/nginx/sites-enabled/shop.conf}\n"),
                Map.of("baton.version", "1.4.2"));
        assertThat(servers.services().get("api").workDir()).isEqualTo(Path.of(".baton/shop/releases/1.4.2"));
        assertThat(read(yaml, Map.of()).services().get("api").workDir()).as("no version (status): as configured").isEqualTo(dir);
        assertThat(read(MINIMAL + "runtime: {type: process, release: dist}\n", Map.of()).releases().keep()).as("the default").isEqualTo(5);

        Files.writeString(dir.resolve("app.zip"), "PK");
        assertThat(error(MINIMAL + "runtime: {type: process, release: app.zip}\n"))
                .startsWith("runtime.release: a release is a folder or a .tar.gz, .tgz or .tar archive");
        assertThat(error(MINIMAL + "runtime: {type: process, release: dist, keep_releases: 0}\n"))
                .startsWith("runtime.keep_releases: expected how many releases each server keeps, 1 to 1000, got 0");
        assertThat(error(MINIMAL + "runtime: {type: process, ship: ssh}\n")).startsWith("runtime.ship: ship is for type: docker");
    }

    @Test
    void dockerRuntimeRunsImages() throws Exception {
        String yaml = MINIMAL.replace("    command: [java, -jar, api.jar]\n", "    image: \"registry.local/api:${TAG}\"\n    static: {from: /app/public, to: /srv/static}\n")
                .replace("    shell: \"exec node server.js\"\n", "    image: registry.local/web:1\n    command: [node, server.js]\n")
                + "runtime: {type: docker, cli: podman, args: [--runtime, runc], run_args: [--init], prune: 168h}\n";
        DeployConfig c = read(yaml, Map.of("TAG", "1.4"));
        assertThat(c.docker()).isEqualTo(new DockerSettings("podman", List.of("--runtime", "runc"), List.of("--init"), "168h", false));
        assertThat(read(yaml.replace("prune: 168h}", "ship: ssh}"), Map.of("TAG", "1")).docker().shipOverSsh()).isTrue();
        assertThat(error(yaml.replace("prune: 168h}", "ship: scp}"))).startsWith("runtime.ship: expected ssh (send the images from"
                + " this machine over SSH) or registry");
        assertThat(c.services().get("api").image()).isEqualTo("registry.local/api:1.4");
        assertThat(c.services().get("api").argv()).as("the image's own command").isEmpty();
        assertThat(c.services().get("api").staticFrom()).as("a path in the image").isEqualTo(Path.of("/app/public"));
        assertThat(c.services().get("web").argv()).containsExactly("node", "server.js");
        assertThat(error(MINIMAL + "runtime: {type: docker}\n")).startsWith("services.api: missing key image:");
        assertThat(error(MINIMAL.replace("    health: [/health]\n", "    health: [/health]\n    image: x\n")))
                .startsWith("services.api.image: image needs the docker runtime");
        assertThat(error(MINIMAL + "runtime: {type: vm}\n")).startsWith("runtime.type: expected process (local processes) or docker");
    }

    @Test
    void warmupIsReadWithDefaults() throws Exception {
        DeployConfig c = read(MINIMAL.replace("    health: [/health]\n", """
                    health: [/health]
                    warmup: {paths: [/api/items, /api/cart], requests: 300}
                """) + "deadlines: {warmup: 15s}\n", Map.of());
        assertThat(c.services().get("api").warmup()).isEqualTo(new Warmup(List.of("/api/items", "/api/cart"), 300, 4));
        assertThat(c.services().get("web").warmup()).as("none unless asked for").isNull();
        assertThat(c.deadlines().warmup()).isEqualTo(Duration.ofSeconds(15));
        assertThat(read(MINIMAL.replace("    health: [/health]\n", "    health: [/health]\n    warmup: {paths: [/]}\n"),
                Map.of()).services().get("api").warmup()).isEqualTo(new Warmup(List.of("/"), 100, 4));

        assertThat(error(MINIMAL.replace("    health: [/health]\n", "    health: [/health]\n    warmup: {paths: [/], requests: 0}\n")))
                .isEqualTo("services.api.warmup.requests: expected a number from 1 to 100000, got 0 (baton.yml:7)");
        assertThat(error(MINIMAL.replace("    health: [/health]\n", "    health: [/health]\n    warmup: {requests: 10}\n")))
                .startsWith("services.api.warmup: missing key paths (GET paths the new colour answers").endsWith("(baton.yml:7)");
        assertThat(error(MINIMAL.replace("    health: [/health]\n", "    health: [/health]\n    warmup: {paths: [items]}\n")))
                .isEqualTo("services.api.warmup.paths[0]: expected a URL path starting with /, such as /health or /api/items?limit=1 (spaces and other characters percent-encoded, e.g. %20), got \"items\" (baton.yml:7)");
    }

    @Test
    void errorsNameKeyPathAndLine() {
        assertThat(error(MINIMAL.replace("ports: {green: 9001, blue: 9000}", "ports: {green: 90x1, blue: 9000}")))
                .isEqualTo("services.api.ports.green: expected a port number between 1 and 65535, got \"90x1\" (baton.yml:5)");
        assertThat(error(MINIMAL.replace("app: shop", "app: shop\ncolour: red")))
                .startsWith("colour: unknown key; expected one of [accessories, app, build,").endsWith("(baton.yml:2)");
        assertThat(error(MINIMAL.replace("app: shop", "app: Shop!"))).isEqualTo("app: \"Shop!\" is not a valid name: use"
                + " lowercase letters, digits, - and _ (baton.yml:1)");
        assertThat(error(MINIMAL.replace("ports: {green: 3001, blue: 3000}", "ports: {green: 3001, red: 3000}")))
                .isEqualTo("services.web.ports: colours [green, red] differ from the first service's [green, blue]; use the"
                        + " same two everywhere (baton.yml:9)");
        assertThat(error(MINIMAL.replace("ports: {green: 3001, blue: 3000}", "ports: {green: 9001, blue: 3000}")))
                .isEqualTo("services.web: port 9001 of green is also used by api.green (baton.yml:8)");
        assertThat(error(MINIMAL.replace("    shell: \"exec node server.js\"\n", "")))
                .startsWith("services.web: missing key command (an argv list");
        assertThat(error(MINIMAL.replace("health: [/health]", "health: [health]")))
                .isEqualTo("services.api.health[0]: expected a URL path starting with /, such as /health or /api/items?limit=1 (spaces and other characters percent-encoded, e.g. %20), got \"health\" (baton.yml:6)");
        assertThat(error(MINIMAL + "gates: [{command: [make], http: \"http://x/\"}]\n"))
                .startsWith("gates[0]: expected exactly one of command: [argv], shell: \"script\" or http: URL");
        assertThat(error(MINIMAL + "nginx: {site: /etc/nginx/sites-enabled/shop.conf}\n"))
                .startsWith("nginx: nginx belongs under router, not at the top level, e.g. router: {type: nginx,");
        assertThat(error(MINIMAL + "url: postgres://db/shop\n"))
                .startsWith("url: url belongs under migrations, not at the top level, e.g. migrations: {url:");
        assertThat(error(MINIMAL.replace("  listen: 127.0.0.1:8080\n", "  listen: 127.0.0.1:8080\n  type: nginx\n")))
                .startsWith("router: router.type nginx needs router.nginx.site, the site file Baton manages, e.g. router: {type: nginx,");
        assertThat(error(MINIMAL + "deadlines: {health: 0s}\n"))
                .startsWith("deadlines.health: 0 leaves no time to answer, so every deploy would fail here");
        assertThat(error(MINIMAL + "deadlines: {health: soon}\n"))
                .isEqualTo("deadlines.health: expected a duration such as 30s, 500ms or 2m (at most 87672h), got \"soon\" (baton.yml:16)");
        assertThat(error(MINIMAL + "migrations: {lock_retries: -2}\n"))
                .isEqualTo("migrations.lock_retries: expected a number of retries from 0 to 100, got -2 (baton.yml:16)");
        assertThat(error(MINIMAL + "migrations: {engine: command}\n"))
                .startsWith("migrations: engine: command needs command: [program, args...]");
        assertThat(error(MINIMAL + "migrations: {engine: command, command: [alembic, upgrade, head],"
                + " down_command: [alembic, downgrade, \"{{revision_before}}\"]}\n"))
                .startsWith("migrations.down_command: {{revision_before}} is the revision Baton read before the upgrade, from"
                        + " migrations.revision: give it too");
        assertThat(error(MINIMAL + "accessories: {db: {check: {tcp: \"127.0.0.1:5432\"}, host: db-1}}\n"))
                .startsWith("accessories.db.host: no host named \"db-1\" in hosts: [local]");
        assertThat(error(MINIMAL + "hosts: [web-1]\n")).startsWith("router: the builtin router runs on the machine Baton"
                + " runs on; to deploy to web-1 set router.type: nginx");
        assertThat(error(MINIMAL.replace("  listen: 127.0.0.1:8080\n", "  listen: 127.0.0.1:8080\n  initial_colour: red\n")))
                .startsWith("router: initial_colour \"red\" is not one of [green, blue]");
        assertThat(error(MINIMAL.replace("health: [/health]", "health: [/api health]"))).startsWith("services.api.health[0]:"
                + " expected a URL path").endsWith("got \"/api health\" (baton.yml:6)");
        assertThat(error(MINIMAL.replace("{path: /api, service: api}", "{path: \"/api { return 200 'INJECTED'; }\", service: api}")))
                .startsWith("router.routes[0].path: expected a path prefix such as /api");
        assertThat(error(MINIMAL.replace("  listen: 127.0.0.1:8080\n", "  listen: 127.0.0.1:8080\n  start: systemd\n")))
                .startsWith("router.start: expected baton (Baton starts the router when none answers) or external");
    }

    @Test
    void aHostAddressIsANameOrAnIpAndNothingThatReadsAsAnOption() throws Exception {
        String nginx = MINIMAL.replace("  listen: 127.0.0.1:8080\n", "  type: nginx\n  listen: 127.0.0.1:8080\n"
                + "  nginx: {site: /etc/nginx/sites-enabled/shop.conf}\n");
        for (String ok : new String[] {"web-1", "web-1.example.com.", "203.0.113.10", "2001:db8::10", "[2001:db8::10]", "db_1.internal"}) {
            assertThat(read(nginx + "hosts: [{address: \"" + ok + "\"}]\n", Map.of()).hosts().get(0).address()).isEqualTo(ok);
        }
        for (String bad : new String[] {"-oProxyCommand=touch /tmp/x", "a b", "", "root@web-1", "web-1:22", "-web", "web..1"}) {
            assertThat(error(nginx + "hosts: [{address: \"" + bad + "\"}]\n")).as(bad).isEqualTo("hosts[0].address: \"" + bad
                    + "\" is not a host name or an IP address; write e.g. web-1.example.com, 203.0.113.10 or 2001:db8::10"
                    + " (the SSH user goes in ssh.user, the port in port:) (baton.yml:18)");
        }
        assertThat(error(nginx + "hosts: [\"-oProxyCommand=x\"]\n")).startsWith("hosts[0]: \"-oProxyCommand=x\" is not a host name");
    }

    @Test
    void routerStartSaysWhoStartsTheBuiltinRouter() throws Exception {
        Path file = dir.resolve("baton.yml");
        Files.writeString(file, MINIMAL);
        assertThat(DeployConfigReader.read(file, Map.of()).routerStartedByBaton()).as("the default").isTrue();
        Files.writeString(file, MINIMAL.replace("  listen: 127.0.0.1:8080\n", "  listen: 127.0.0.1:8080\n  start: external\n"));
        assertThat(DeployConfigReader.read(file, Map.of()).routerStartedByBaton()).isFalse();
    }

    @Test
    void aServicePortThatIsTheRoutersOrAnotherServicesIsRefused() {
        assertThat(error(MINIMAL.replace("green: 9001", "green: 8080")))
                .isEqualTo("services.api.ports.green: port 8080 is also router.listen; give each colour of each service a port"
                        + " of its own, apart from the router's (baton.yml:5)");
        assertThat(error(MINIMAL.replace("green: 9001", "green: 8081"))).startsWith("services.api.ports.green: port 8081 is also router.admin;");
        assertThat(error(MINIMAL.replace("green: 3001", "green: 9001"))).isEqualTo("services.web: port 9001 of green is also used by"
                + " api.green (baton.yml:8)");
    }

    @Test
    void aCommandEngineNeedsTheUrlForTablesAndARevisionTableAndTakesOneRevisionSource() throws Exception {
        String command = MINIMAL + "migrations:\n  engine: command\n  command: [alembic, upgrade, head]\n";
        assertThat(error(command + "  verify_tables: [items]\n")).startsWith("migrations.verify_tables: with engine: command,"
                + " Baton checks these tables itself: give migrations.url too").endsWith("(baton.yml:19)");
        assertThat(error(command + "  url: postgres://u@db/shop\n  revision: {command: [alembic, current], table: alembic_version}\n"))
                .startsWith("migrations.revision: give command:");
        assertThat(error(command + "  url: postgres://u@db/shop\n  revision: {table: \"v; DROP TABLE x\"}\n"))
                .startsWith("migrations.revision.table: expected a table name");
        DeployConfig c = read(command + "  url: postgres://u@db/shop\n  verify_tables: [items]\n  revision: {table: alembic_version}\n", Map.of());
        assertThat(c.migrations().revision()).isEqualTo(new MigrationsConfig.RevisionSource(List.of(), "alembic_version", "version_num"));
    }

    @Test
    void aServiceWithoutAHealthCheckSaysSo() throws Exception {
        DeployConfig c = read(MINIMAL.replace("health: [/]", "health: none"), Map.of());
        assertThat(c.services().get("web").health()).isEmpty();
        assertThat(c.services().get("api").health()).containsExactly("/health");
        assertThat(error(MINIMAL.replace("health: [/]", "health: []"))).startsWith("services.web.health: an empty list checks nothing");
        assertThat(error(MINIMAL.replace("    health: [/]\n", ""))).startsWith("services.web: missing key health");
    }

    @Test
    void flywayPlaceholdersComeFromBatonYmlOverTheEnvironment() throws Exception {
        DeployConfig c = read(MINIMAL + "migrations:\n  url: postgres://u@127.0.0.1:5432/db\n  placeholders: {schema: app, owner: ops}\n",
                Map.of());
        assertThat(c.migrations().placeholders(Map.of("FLYWAY_PLACEHOLDERS_SCHEMA", "env-schema", "FLYWAY_PLACEHOLDERS_REGION", "eu",
                "PATH", "/bin"))).containsExactlyInAnyOrderEntriesOf(Map.of("schema", "app", "owner", "ops", "region", "eu"));
        assertThat(c.migrations().settings(true, dir, dir).placeholders()).containsEntry("schema", "app");
    }
}
