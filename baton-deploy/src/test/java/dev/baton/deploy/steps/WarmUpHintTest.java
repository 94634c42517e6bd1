package dev.baton.deploy.steps;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** When the WarmUp line says the colour was still getting faster: its last tenth clearly faster than the tenth before. */
class WarmUpHintTest {
    @Test
    void stillFallingAtTheEndIsSaid() {
        // 2 ms per request falling to 0.2 ms, linearly: the last tenth is still ~25 % faster than the one before
        long[] falling = LongStream.range(0, 400).map(i -> 2_000_000 - i * 4_500).toArray();
        assertThat(WarmUp.stillFaster(falling)).isTrue();
    }

    @Test
    void aPlateauANoisyPlateauAndTooFewRequestsAreNot() {
        // fast after the first fifth (compiled), flat from there
        long[] plateau = LongStream.range(0, 400).map(i -> i < 80 ? 3_000_000 : 400_000).toArray();
        assertThat(WarmUp.stillFaster(plateau)).isFalse();
        // the same plateau with every third request three times as slow (GC, scheduling): medians stay put
        long[] noisy = LongStream.range(0, 400).map(i -> i < 80 ? 3_000_000 : i % 3 == 0 ? 1_200_000 : 400_000).toArray();
        assertThat(WarmUp.stillFaster(noisy)).isFalse();
        // 20 requests (10 per path, as the tests' deploys send): too few tenths to judge
        long[] few = LongStream.range(0, 20).map(i -> 2_000_000 - i * 90_000).toArray();
        assertThat(WarmUp.stillFaster(few)).isFalse();
    }
}
