package dev.baton.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.BatonException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A router state file that is not what it should be: refused as such at start, repaired by whoever knows the colour. */
class RouterStateFileTest {
    @TempDir
    Path tmp;

    RouterSettings settings() {
        return new RouterSettings(new InetSocketAddress("127.0.0.1", 0), new InetSocketAddress("127.0.0.1", 0), "t0ken",
                List.of(new Route("/", Map.of("blue", URI.create("http://127.0.0.1:9"), "green", URI.create("http://127.0.0.1:9")))),
                tmp.resolve("router-state.json"), "blue");
    }

    @Test
    void aDamagedFileStopsTheStartSayingSoAndNotThatAPortIsTaken() throws Exception {
        Files.writeString(tmp.resolve("router-state.json"), "{\"active\": \"gre");
        assertThatThrownBy(() -> new Router(settings()).start()).isInstanceOf(BatonException.class)
                .hasMessageContaining("router-state.json does not name an active colour")
                .hasMessageContaining("baton recover writes it again from state.json")
                .hasMessageNotContaining("another process listening");
    }

    @Test
    void routesInTheFileThatAreNotRoutesStopTheStartSayingWhich() throws Exception {
        Files.writeString(tmp.resolve("router-state.json"), "{\"active\":\"green\",\"routes\":{\"green\":[\"/ gopher://x\"]}}");
        assertThatThrownBy(() -> new Router(settings()).start()).isInstanceOf(BatonException.class)
                .hasMessageContaining("the routes of green cannot be read").hasMessageContaining("expected http://host:port");
        Files.writeString(tmp.resolve("router-state.json"), "{\"active\":\"green\",\"routes\":[1]}");
        assertThatThrownBy(() -> new Router(settings()).start()).hasMessageContaining("\"routes\" is not a map of colours");
        // a file from before routes were kept: the configured ones
        Files.writeString(tmp.resolve("router-state.json"), "{\"active\":\"green\",\"switched_at\":\"x\"}");
        try (Router r = new Router(settings()).start()) {
            assertThat(r.active()).isEqualTo("green");
            assertThat(r.routesOf("green")).containsExactly("/ http://127.0.0.1:9");
        }
    }

    @Test
    void aDamagedFileIsKeptAsBrokenAndWrittenAgainWithTheColourGiven() throws Exception {
        Files.writeString(tmp.resolve("router-state.json"), "{\"active\": \"gre");
        assertThat(Router.repairStateFile(settings(), "green")).contains("kept as", "router-state.json.broken", "serving green");
        assertThat(Files.readString(tmp.resolve("router-state.json.broken"))).isEqualTo("{\"active\": \"gre");
        try (Router router = new Router(settings()).start()) {
            assertThat(router.status().active()).isEqualTo("green");
        }
        assertThat(Router.repairStateFile(settings(), "blue")).as("a sound file is left alone").isNull();
    }

    @Test
    void aColourTheRoutesDoNotHaveIsNotWrittenAndTheRouterStartsFromItsInitialOne() throws Exception {
        Files.writeString(tmp.resolve("router-state.json"), "garbage");
        assertThat(Router.repairStateFile(settings(), "purple")).contains("its initial colour, blue");
        assertThat(tmp.resolve("router-state.json")).doesNotExist();
        assertThat(Router.repairStateFile(settings(), null)).as("no file: nothing to repair").isNull();
    }
}
