package dev.baton;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FreePortsTest {
    /** Run by the test as another JVM: takes a port, says which, and holds it until its stdin closes. */
    public static void main(String[] args) throws Exception {
        System.out.println(FreePorts.take(1)[0]);
        System.out.flush();
        System.in.read();
    }

    @Test
    void aPortAnotherJvmTookIsNotHandedOutHereUntilThatJvmEnds() throws Exception {
        Process other = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), FreePortsTest.class.getName()).redirectErrorStream(true).start();
        int port;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(other.getInputStream(), StandardCharsets.UTF_8))) {
            port = Integer.parseInt(out.readLine().strip());

            // before: a `baton demo` beside the tests took ports the tests had taken, and a colour found its port taken
            assertThat(FreePorts.reserve(port)).as("held by the other JVM").isFalse();

            other.getOutputStream().close(); // it ends
            assertThat(other.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(FreePorts.reserve(port)).as("free once the other JVM has ended").isTrue();
        assertThat(FreePorts.reserve(port)).as("handed out once in this JVM").isFalse();
    }

    @Test
    void portsAreDistinct() {
        int[] ports = FreePorts.take(20);

        assertThat(ports).doesNotHaveDuplicates();
        assertThat(Arrays.stream(ports).min().getAsInt()).isGreaterThanOrEqualTo(10_000);
    }
}
