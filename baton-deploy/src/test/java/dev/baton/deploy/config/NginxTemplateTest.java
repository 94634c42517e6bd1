package dev.baton.deploy.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.BatonException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NginxTemplateTest {
    @TempDir
    Path dir;

    static final Map<String, String> VALUES = Map.of("app", "shop", "app_id", "shop", "colour", "green",
            "listen", "0.0.0.0:80", "upstreams", "upstream u {\n    server 127.0.0.1:8001;\n}", "locations", "    location / {}\n",
            "upstream.0", "127.0.0.1:8001");

    @Test
    void placeholdersInCommentsAreLeftAsWritten() {
        String t = "# site for {{app}}; Baton puts {{locations}} in the server block\n"
                + "server {\n    listen {{listen}};  # was {{listen}} # still a comment\n"
                + "    add_header X-Colour \"{{colour}}#1\";\n    set $a a#{{colour}};\n{{locations}}}\n";
        assertThat(NginxTemplate.render(t, VALUES)).isEqualTo(
                "# site for {{app}}; Baton puts {{locations}} in the server block\n"
                + "server {\n    listen 0.0.0.0:80;  # was {{listen}} # still a comment\n"
                + "    add_header X-Colour \"green#1\";\n    set $a a#green;\n    location / {}\n}\n");
        assertThat(NginxTemplate.unknown("# {{whatever}}\nlisten {{listen}};\n", 1)).isEmpty();
    }

    @Test
    void unknownPlaceholdersAreNamedWithTheirLine() {
        assertThat(NginxTemplate.unknown("server {\n  listen {{ listen }};\n  proxy_pass http://{{upstream.1}};\n  {{colur}}\n}\n", 1))
                .containsExactly("line 3: {{upstream.1}}", "line 4: {{colur}}");
        assertThat(NginxTemplate.unknown("proxy_pass http://{{upstream.1}};", 2)).isEmpty();
    }

    @Test
    void aTemplateIsCheckedWhenBatonYmlIsRead() throws Exception {
        String yaml = """
                app: shop
                services:
                  api: {command: [x], ports: {blue: 9000, green: 9001}, health: [/health]}
                router:
                  type: nginx
                  listen: 127.0.0.1:8080
                  nginx: {site: /etc/nginx/sites-enabled/shop.conf, template: site.conf}
                """;
        Files.writeString(dir.resolve("baton.yml"), yaml);
        Files.writeString(dir.resolve("site.conf"), "{{upstreams}}\nserver {\n    listen {{listen}};\n    {{colour}} {{ap}}\n{{locations}}}\n");
        assertThat(error()).isEqualTo("router.nginx.template: the nginx site template " + dir.resolve("site.conf")
                + " uses placeholders Baton does not fill: line 4: {{ap}}; the placeholders are {{app}}, {{app_id}}, {{colour}},"
                + " {{listen}}, {{locations}}, {{upstreams}} and {{upstream.N}} for route N (0 to 0); see docs/deploy.md (baton.yml:7)");
        Files.write(dir.resolve("site.conf"), new byte[] {'l', (byte) 0xff, ';'});
        assertThat(error()).contains("is not UTF-8 text");
        Files.delete(dir.resolve("site.conf"));
        assertThat(error()).contains("is not a file (it does not exist)");
        Files.writeString(dir.resolve("site.conf"), "{{upstreams}}\nserver {\n    listen {{listen}};\n{{locations}}}\n");
        assertThat(DeployConfigReader.read(dir.resolve("baton.yml"), Map.of()).nginx().template())
                .isEqualTo(dir.resolve("site.conf"));
    }

    private String error() {
        try {
            DeployConfigReader.read(dir.resolve("baton.yml"), Map.of());
        } catch (BatonException e) {
            return e.getMessage();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("expected an error");
    }
}
