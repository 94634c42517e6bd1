package dev.baton.deploy.pipeline;

import dev.baton.Secrets;
import dev.baton.deploy.port.Command;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What a step would do, told without doing it ({@code baton deploy --plan}).
 *
 * @param step the step's name
 * @param runs false when the step has nothing to do for this config (it would be skipped)
 * @param notes what it does, one line each, for people
 * @param commands the commands it would run, where
 */
public record StepPlan(String step, boolean runs, List<String> notes, List<Planned> commands) {
    public StepPlan {
        notes = List.copyOf(notes);
        commands = List.copyOf(commands);
    }

    /**
     * One command and where it would run.
     *
     * @param where {@code local} (this machine) or a host's name
     * @param argv the program and its arguments, as they would run (secrets in URLs redacted)
     * @param env the names of the variables set for it (never their values)
     */
    public record Planned(String where, List<String> argv, List<String> env) {
        public Planned {
            argv = argv.stream().map(Secrets::redact).toList();
            env = List.copyOf(new TreeSet<>(env));
        }

        public static Planned of(String where, Command c) {
            return new Planned(where, c.argv(), List.copyOf(c.env().keySet()));
        }

        /** One line: {@code web-1 $ docker run -d ...}; a script of Baton's own is shown as its name, not its text. */
        public String display() {
            List<String> shown = new ArrayList<>();
            for (String a : argv) {
                shown.add(a.contains("\n") ? "<script>" : a.isEmpty() || a.matches(".*[\\s'\"$`\\\\;&|<>*?(){}].*")
                        ? "'" + a.replace("'", "'\\''") + "'" : a);
            }
            return where + " $ " + String.join(" ", shown) + (env.isEmpty() ? "" : "   (env: " + String.join(", ", env) + ")");
        }

        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("where", where);
            m.put("argv", new ArrayList<Object>(argv));
            m.put("env", new ArrayList<Object>(env));
            return m;
        }
    }

    /** A step with nothing to do here, and why. */
    public static StepPlan skipped(String step, String why) {
        return new StepPlan(step, false, List.of(why), List.of());
    }

    public static StepPlan runs(String step, List<String> notes, List<Planned> commands) {
        return new StepPlan(step, true, notes, commands);
    }

    public static StepPlan runs(String step, String... notes) {
        return new StepPlan(step, true, List.of(notes), List.of());
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("step", step);
        m.put("runs", runs);
        m.put("notes", new ArrayList<Object>(notes.stream().map(Secrets::redact).toList()));
        m.put("commands", new ArrayList<Object>(commands.stream().map(Planned::toMap).toList()));
        return m;
    }
}
