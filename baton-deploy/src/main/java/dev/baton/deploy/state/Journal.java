package dev.baton.deploy.state;

import dev.baton.BatonException;
import dev.baton.IoReason;
import dev.baton.Json;
import dev.baton.PrivateFiles;
import dev.baton.deploy.config.StatePaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code <state>/journal.json}: what a deploy or rollback is about to do, written before each of
 * its steps and removed once its outcome is recorded. One found by the next command that holds the
 * deploy lock belongs to a deploy that was killed (kill -9, a crash, a lost machine): see
 * {@code Recovery}. One is also left on purpose by a deploy that failed and could not undo itself
 * (an undo failed: its database or router was gone): the next command that holds the lock
 * finishes that undo the same way.
 *
 * @param kind deploy or rollback
 * @param release its release id (also its log's name)
 * @param pid the process that ran it
 * @param from the colour serving before it, or null (first deploy, or not yet known)
 * @param to the colour it aimed at, or null (not yet known)
 * @param step the step it was about to run or running
 * @param started when it started (ISO-8601)
 * @param revisionBefore the schema heads before its migration, comma-separated, or null when unknown
 * @param migrations the folder its migrations were read from (absolute), or null: a recovery
 *     reverts with that folder's down-migrations, whatever today's baton.yml points at
 * @param log its deploy log
 * @param run what it starts on {@code to}, or null (not yet known)
 * @param stopped why it stopped without settling what it did, or null (it was killed)
 * @param failed whether it failed and an undo failed too: its outcome is in the audit log, its
 *     writer is done with it, and what it left is to be taken back, not finished
 * @param trafficMoved for a failed one: whether traffic was on {@code to} when it stopped (a
 *     killed one's is told by its step)
 * @param startsTarget whether it starts (or started) services of {@code to} that did not run: a
 *     rollback's target may have been running already, and then is not its to stop
 */
public record Journal(String kind, String release, long pid, String from, String to, String step, String started,
                      String revisionBefore, String migrations, String log, ColourRun run, String stopped, boolean failed,
                      boolean trafficMoved, boolean startsTarget) {

    public static Optional<Journal> load(Path stateDir) {
        Path file = new StatePaths(stateDir).journal();
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) Json.parse(Files.readString(file, StandardCharsets.UTF_8));
            Object pid = m.get("pid");
            return Optional.of(new Journal(DeployState.str(m, "kind"), DeployState.str(m, "release"),
                    pid instanceof Number n ? n.longValue() : -1, DeployState.str(m, "from"), DeployState.str(m, "to"),
                    DeployState.str(m, "step"), DeployState.str(m, "started"), DeployState.str(m, "revision_before"),
                    DeployState.str(m, "migrations"), DeployState.str(m, "log"),
                    ColourRun.fromMap(m.get("run")).orElse(null), DeployState.str(m, "stopped"),
                    Boolean.TRUE.equals(m.get("failed")), Boolean.TRUE.equals(m.get("traffic_moved")),
                    Boolean.TRUE.equals(m.get("starts_target"))));
        } catch (IOException | IllegalArgumentException | ClassCastException e) {
            // a journal cut short by a full disk or a crash mid-write: still a deploy that did not finish
            return Optional.of(new Journal("deploy", "unknown", -1, null, null, "unknown (" + file + " is not readable: "
                    + e.getMessage() + ")", null, null, null, null, null, null, false, false, false));
        }
    }

    /** When the journal in {@code stateDir} was last written: when the step it names began. */
    public static Optional<Instant> lastWritten(Path stateDir) {
        try {
            return Optional.of(Files.getLastModifiedTime(new StatePaths(stateDir).journal()).toInstant());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Written whole (a reader never sees half of it), before the step it names runs. */
    public void save(Path stateDir) {
        Path file = new StatePaths(stateDir).journal();
        try {
            PrivateFiles.writeAtomically(file, Json.write(toMap()) + "\n");
        } catch (IOException e) {
            throw BatonException.state("cannot write " + file + " (" + IoReason.of(e) + "): without it a killed deploy"
                    + " could not be recovered, so this one stops here");
        }
    }

    public static void clear(Path stateDir) {
        try {
            Files.deleteIfExists(new StatePaths(stateDir).journal());
        } catch (IOException e) {
            throw BatonException.state("cannot remove " + new StatePaths(stateDir).journal() + ": " + IoReason.of(e));
        }
    }

    public Journal at(String step, String from, String to, String revisionBefore, String migrations, ColourRun run,
                      boolean startsTarget) {
        return new Journal(kind, release, pid, from, to, step, started, revisionBefore, migrations, log, run, stopped, failed, trafficMoved,
                startsTarget);
    }

    /** The same journal, saying why its writer stopped without settling what it did. */
    public Journal stopped(String why) {
        return new Journal(kind, release, pid, from, to, step, started, revisionBefore, migrations, log, run, why, failed, trafficMoved,
                startsTarget);
    }

    /**
     * The same journal, kept by its writer because it failed at its step and could not undo itself
     * ({@code why}), with traffic on {@code to} or not ({@code trafficMoved}).
     */
    public Journal undoFailed(String why, boolean trafficMoved) {
        return new Journal(kind, release, pid, from, to, step, started, revisionBefore, migrations, log, run, why, true, trafficMoved,
                startsTarget);
    }

    /** What left it, in words: {@code a killed deploy}, {@code a failed deploy that could not undo itself}. */
    public String what() {
        return failed ? "a failed " + kind + " that could not undo itself" : stopped != null ? "a stopped " + kind
                : "a killed " + kind;
    }

    /** How it ended, in words: {@code killed at Migrate}, or {@code stopped at WarmUp (...)}. */
    public String how() {
        return failed ? "failed at " + step + " (" + stopped + ")" : stopped == null ? "killed at " + step
                : "stopped at " + step + " (" + stopped + ")";
    }

    /**
     * Whether the process that wrote it still runs: a deploy that lost its lock (while it runs, a
     * deploy that holds the lock waits for it). A process started after the journal's deploy
     * began is another one that got the same pid.
     */
    public boolean writerAlive() {
        if (failed) {
            return false; // written last by a deploy that had finished: its process may live on (a test, a wrapper)
        }
        Optional<ProcessHandle> p = pid > 0 ? ProcessHandle.of(pid).filter(ProcessHandle::isAlive) : Optional.empty();
        return p.isPresent() && p.get().info().startInstant().map(at -> !writtenBefore(at)).orElse(true);
    }

    private boolean writtenBefore(Instant processStart) {
        try {
            return started != null && Instant.parse(started).isBefore(processStart);
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", kind);
        m.put("release", release);
        m.put("pid", pid);
        m.put("from", from);
        m.put("to", to);
        m.put("step", step);
        m.put("started", started);
        m.put("revision_before", revisionBefore);
        m.put("migrations", migrations);
        m.put("log", log);
        m.put("run", run == null ? null : run.toMap());
        m.put("stopped", stopped);
        m.put("failed", failed);
        m.put("traffic_moved", trafficMoved);
        m.put("starts_target", startsTarget);
        return m;
    }

}
