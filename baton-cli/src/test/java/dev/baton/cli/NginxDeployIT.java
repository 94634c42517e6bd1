package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Deploys through a real nginx as the router: render, link, nginx -t, reload, drain. */
class NginxDeployIT {
    @TempDir
    Path work;

    DemoFixture demo;
    Nginx nginx;

    @BeforeEach
    void setUp() throws Exception {
        demo = new DemoFixture(work.resolve("app"));
        nginx = new Nginx(work.resolve("nginx"));
        demo.useNginx(nginx);
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            demo.close();
        } finally {
            nginx.close();
        }
    }

    @Test
    void deployUnderLoadThroughNginxFailsNoRequest() throws Exception {
        BatonProcess.Result first = demo.deploy(1);
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(nginx.linkTarget()).isEqualTo(nginx.prefix.resolve("sites-available/demo.conf.blue").toString());
        assertThat(demo.get("/api/version")).isEqualTo("200 {\"version\":1,\"colour\":\"blue\"}");

        URI base = demo.ws.publicUri();
        BatonProcess.Result second = demo.deployUnderLoad(2, List.of(base.resolve("/api/items"), base.resolve("/api/version")), 300);
        assertThat(second.exitCode()).as(second.err()).isZero();
        assertThat(second.err()).contains("✓ SwitchTraffic", "✓ Validate", "✓ DrainAndStop");
        assertThat(nginx.linkTarget()).endsWith("sites-available/demo.conf.green");
        assertThat(Files.readString(nginx.prefix.resolve("sites-available/demo.conf.green")))
                .contains("server 127.0.0.1:" + demo.ws.port("GREEN"), "proxy_set_header X-Forwarded-For");
        assertThat(demo.get("/api/version")).isEqualTo("200 {\"version\":2,\"colour\":\"green\"}");

        // the first request after the rollback returns: a reload only signals nginx, and before the
        // switch waited for its old workers to stop accepting, this one could still reach green
        BatonProcess.Result back = demo.baton(1, new String[0], "rollback");
        assertThat(back.exitCode()).as(back.err()).isZero();
        assertThat(demo.get("/api/version")).isEqualTo("200 {\"version\":1,\"colour\":\"blue\"}");
    }

    @Test
    void aPortMovedInBatonYmlGoesIntoTheNewColoursSite() throws Exception {
        demo.deployed(1);
        int green = demo.ws.port("GREEN");
        int moved = dev.baton.testing.Ports.free();
        demo.ws.edit("green: " + green + "}", "green: " + moved + "}");
        demo.deployed(2);
        assertThat(Files.readString(nginx.prefix.resolve("sites-available/demo.conf.green"))).contains("server 127.0.0.1:" + moved);
        assertThat(demo.get("/api/version")).isEqualTo("200 {\"version\":2,\"colour\":\"green\"}");
        // and the serving colour's is refused, before anything starts
        demo.ws.edit("green: " + moved + "}", "green: " + green + "}");
        BatonProcess.Result r = demo.deploy(2);
        assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains("services.api.ports.green is " + green + " in baton.yml, but green's api was started on " + moved);
        assertThat(demo.get("/api/version")).isEqualTo("200 {\"version\":2,\"colour\":\"green\"}");
    }

    @Test
    void aBuiltinRouterReplacedByNginxIsNamedAtOnceAndOneRecoverHandsOver() throws Exception {
        try (DemoFixture moving = new DemoFixture(work.resolve("moving"))) {
            moving.deployed(1); // behind the built-in router
            moving.useNginx(nginx);
            // before: nginx was reloaded, could not bind the address the built-in router holds, and the
            // deploy waited 10 s for workers that never changed; then recover called that consistent
            BatonProcess.Result r = moving.deploy(2);
            assertThat(r.exitCode()).as(r.err()).isEqualTo(1);
            assertThat(r.err()).contains("nginx cannot take the site for blue", "is held by java (pid",
                    "Baton's built-in router of this app", "the previous site is back and nginx was not reloaded");
            assertThat(moving.get("/api/version")).isEqualTo("200 {\"version\":1,\"colour\":\"blue\"}");

            moving.stopRouter(moving.ws.port("LISTEN")); // the documented hand-over
            assertThat(moving.inProcess(1, "status").out()).contains("running, but serving no colour");
            BatonProcess.Result recover = moving.inProcess(1, "recover");
            assertThat(recover.exitCode()).as(recover.err()).isZero();
            assertThat(recover.err()).contains("switched the router from no colour to blue");
            assertThat(moving.get("/api/version")).isEqualTo("200 {\"version\":1,\"colour\":\"blue\"}");
            assertThat(nginx.linkTarget()).endsWith("sites-available/demo.conf.blue");
        }
    }

    @Test
    void aSiteNginxRejectsIsRolledBackBeforeTrafficMoves() throws Exception {
        demo.deployed(1);
        Path bad = Files.writeString(work.resolve("bad-site.conf"), "server {\n    listen {{listen}};\n    proxy_pas http://{{upstream.0}};\n}\n");
        demo.ws.edit("{site: ", "{template: " + bad + ", site: ");

        BatonProcess.Result r = demo.deploy(2);

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("FAILED at SwitchTraffic", "rejected the site for green",
                "the previous site is back and nginx was not reloaded", "unknown directive \"proxy_pas\"",
                "undone Migrate", "undone StartTarget");
        assertThat(nginx.linkTarget()).endsWith("sites-available/demo.conf.blue");
        assertThat(demo.get("/api/version")).isEqualTo("200 {\"version\":1,\"colour\":\"blue\"}");
        BatonProcess.Result status = demo.inProcess(1, "status", "--json");
        assertThat(status.out()).as("the migration is reverted: traffic never reached v2").contains("\"revision\":\"a1c0de000001\"");
        assertThat(demo.db.column("SELECT count(*) FROM information_schema.columns WHERE column_name = 'priority'"))
                .containsExactly("0");
    }

    @Test
    void theMinimalTemplateOfTheDocsDeploysAndItsCommentsAreLeftAlone() throws Exception {
        // docs/deploy.md's minimal template, with a comment that names placeholders: before,
        // {{locations}} was pasted into the comment (its first line commented out, the rest live),
        // and a template without Baton's map block failed with an unknown variable
        Path site = Files.writeString(work.resolve("site.conf"), "# {{app}}: {{upstreams}} and {{locations}} are Baton's blocks\n"
                + "{{upstreams}}\nserver {\n    listen {{listen}};\n{{locations}}}\n");
        demo.ws.edit("{site: ", "{template: " + site + ", site: ");

        demo.deployed(1);
        demo.deployed(2);

        String green = Files.readString(nginx.prefix.resolve("sites-available/demo.conf.green"));
        assertThat(green).startsWith("# {{app}}: {{upstreams}} and {{locations}} are Baton's blocks\n")
                .contains("map $http_upgrade $baton_demo_connection", "proxy_pass http://baton_demo_green_0;");
        assertThat(demo.get("/api/version")).isEqualTo("200 {\"version\":2,\"colour\":\"green\"}");
    }
}
