package dev.baton.cli;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** For tests that deploy the demo app: a workspace and a database of the test's own, stopped and dropped after it. */
abstract class DemoTestBase {
    @TempDir
    Path work;

    DemoFixture demo;

    @BeforeEach
    void startDemo() {
        demo = new DemoFixture(work);
    }

    @AfterEach
    void stopDemo() {
        demo.close();
    }
}
