package dev.baton.deploy;

import dev.baton.deploy.pipeline.StepPlan;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code baton deploy --plan}: what a deploy would do, step by step, found without changing
 * anything (no lock, no start, no switch, no write; the database is only read, and the lint's
 * shadow database is dropped again).
 *
 * @param app the application
 * @param version the version it would ship
 * @param config the baton.yml
 * @param active the colour serving now (state.json), or null before a first deploy
 * @param target the colour it would start
 * @param notes what else holds: a killed deploy's journal that would be recovered first
 * @param steps every step of a deploy, in order, then Notify
 */
public record DeployPlan(String app, String version, Path config, String active, String target, List<String> notes,
                         List<StepPlan> steps) {
    public DeployPlan {
        notes = List.copyOf(notes);
        steps = List.copyOf(steps);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("app", app);
        m.put("version", version);
        m.put("config", config.toString());
        m.put("active", active);
        m.put("target", target);
        m.put("notes", new ArrayList<Object>(notes));
        m.put("steps", new ArrayList<Object>(steps.stream().map(StepPlan::toMap).toList()));
        return m;
    }
}
