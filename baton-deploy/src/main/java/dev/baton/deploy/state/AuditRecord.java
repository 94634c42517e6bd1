package dev.baton.deploy.state;

import dev.baton.deploy.port.DeployKind;
import dev.baton.deploy.port.Outcome;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One line of {@code audit.jsonl}: who ran what, how it ended, and each step.
 *
 * @param version the version deployed (a rollback: the version it went back to), or null when unknown
 * @param from the colour serving before (null on a first deploy)
 * @param to the colour it aimed at
 * @param active the colour serving after
 * @param commit the git commit deployed, or null
 * @param revisionBefore the schema heads before, comma-separated, or null when unknown
 * @param revision the schema heads after, or null
 * @param failedStep the step that failed, or null
 * @param error why, secrets redacted, or null
 * @param notified the notifiers that were told
 */
public record AuditRecord(DeployKind kind, String release, String version, String app, String by, String started, long ms, Outcome outcome,
                          String from, String to, String active, String commit, String revisionBefore, String revision,
                          String failedStep, String error, String log, List<StepRecord> steps, List<String> notified) {

    /** @param outcome succeeded, skipped, failed, undone or undo_failed */
    public record StepRecord(String step, String outcome, long ms, String detail) {}

    public AuditRecord {
        steps = List.copyOf(steps);
        notified = List.copyOf(notified);
    }

    /** The JSON object written, its keys in a fixed order. */
    public Map<String, Object> toMap() {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("kind", kind.word());
        r.put("release", release);
        r.put("version", version);
        r.put("app", app);
        r.put("by", by);
        r.put("started", started);
        r.put("ms", ms);
        r.put("outcome", outcome.word());
        r.put("from", from);
        r.put("to", to);
        r.put("active", active);
        r.put("commit", commit);
        r.put("revision_before", revisionBefore);
        r.put("revision", revision);
        r.put("failed_step", failedStep);
        r.put("error", error);
        r.put("log", log);
        List<Object> list = new ArrayList<>();
        for (StepRecord s : steps) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("step", s.step());
            m.put("outcome", s.outcome().toLowerCase(Locale.ROOT));
            m.put("ms", s.ms());
            m.put("detail", s.detail());
            list.add(m);
        }
        r.put("steps", list);
        r.put("notified", new ArrayList<Object>(notified));
        return r;
    }
}
