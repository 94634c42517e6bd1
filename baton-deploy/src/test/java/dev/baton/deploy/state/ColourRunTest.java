package dev.baton.deploy.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.deploy.config.ServiceSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What a colour ran with, and what differs when it is started again. */
class ColourRunTest {
    static ServiceSpec api(Map<String, String> env, Map<String, String> versioned) {
        return new ServiceSpec("api", List.of("serve"), env, Path.of("/srv"), Map.of("blue", 8000, "green", 8001), List.of("/health"),
                null, null, null, Duration.ofSeconds(5), null, null, false, false, versioned);
    }

    @Test
    void theKeysWhoseValuesChangedAreNamedAndNoValueIsKept() {
        ServiceSpec then = api(Map.of("DATABASE_PASSWORD", "s3cret-of-then", "REGION", "eu", "OLD", "x"), Map.of());
        ColourRun ran = ColourRun.of(List.of(then), "green", "r1", null, null, "t", "1.0", false);
        assertThat(ran.envChanges(List.of(then))).isEmpty();

        ServiceSpec today = api(Map.of("DATABASE_PASSWORD", "s3cret-of-then", "REGION", "us", "NEW", "y"), Map.of());
        assertThat(ran.envChanges(List.of(today))).containsExactly("services.api.env.NEW (added since)",
                "services.api.env.OLD (removed since)", "services.api.env.REGION");

        String state = dev.baton.Json.write(ran.toMap());
        assertThat(state).contains("\"env_tags\"", "\"DATABASE_PASSWORD\"").doesNotContain("s3cret", "\"eu\"");
        ColourRun read = ColourRun.fromMap(dev.baton.Json.parse(state)).orElseThrow();
        assertThat(read.envChanges(List.of(today))).isEqualTo(ran.envChanges(List.of(today)));
    }

    @Test
    void aTagSaysTooLittleToTellASecretButAChangeItMissesIsCaughtByTheDigest() {
        Set<String> tags = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            tags.add(ColourRun.tag("api", "TOKEN", "value-" + i));
        }
        assertThat(tags).as("2000 values share 256 tags at most").hasSizeLessThanOrEqualTo(256);

        // two values with one tag: the change is still seen, without its key
        String a = "value-0";
        String b = null;
        for (int i = 1; b == null; i++) {
            if (ColourRun.tag("api", "TOKEN", "value-" + i).equals(ColourRun.tag("api", "TOKEN", a))) {
                b = "value-" + i;
            }
        }
        ColourRun ran = ColourRun.of(List.of(api(Map.of("TOKEN", a), Map.of())), "green", "r1", null, null, "t", "1.0", false);
        assertThat(ran.envChanges(List.of(api(Map.of("TOKEN", b), Map.of())))).containsExactly("a value of the services' env:");
    }

    @Test
    void aColourRecordedBeforeTagsIsComparedByItsDigest() {
        ServiceSpec then = api(Map.of("REGION", "eu"), Map.of());
        ColourRun old = new ColourRun(Map.of("api", new ColourRun.ServiceRun(null, List.of("serve"))),
                ColourRun.envDigest(List.of(then)), "r1", null, null, "t", null);
        assertThat(old.envChanges(List.of(then))).isEmpty();
        assertThat(old.envChanges(List.of(api(Map.of("REGION", "us"), Map.of())))).containsExactly("a value of the services' env:");
    }

    @Test
    void aValueNamingBatonVersionIsFilledInWithTheColoursOwnVersion() {
        Map<String, String> versioned = Map.of("APP_VERSION", "app-${baton.version}");
        ServiceSpec then = api(Map.of("APP_VERSION", "app-1.0"), versioned);
        ColourRun ran = ColourRun.of(List.of(then), "green", "r1", null, null, "t", "1.0", false);
        ServiceSpec today = api(Map.of("APP_VERSION", "app-2.0"), versioned);

        assertThat(ran.restore(today).env()).containsEntry("APP_VERSION", "app-1.0");
        assertThat(ran.envChanges(List.of(today))).isEmpty();
        // a rollback reads baton.yml without a version: the value is left as written, and filled in the same way
        assertThat(ran.restore(api(Map.of("APP_VERSION", "app-${baton.version}"), versioned)).env())
                .containsEntry("APP_VERSION", "app-1.0");
    }
}
