package dev.baton.migrate;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The outcome of an upgrade, downgrade or stamp.
 *
 * @param steps each revision run, in order, with its duration
 * @param before applied heads before the run
 * @param after applied heads after the run
 * @param logFile the full log of the run
 */
public record RunReport(Direction direction, List<Step> steps, List<String> before, List<String> after,
                        Duration elapsed, Path logFile) {
    /** One revision of a run. */
    public record Step(Revision revision, Duration elapsed) {}
}
