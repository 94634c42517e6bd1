package dev.baton.migrate.internal;

import dev.baton.BatonException;
import dev.baton.migrate.AppliedRevision;
import dev.baton.migrate.Direction;
import dev.baton.migrate.Phase;
import dev.baton.migrate.Revision;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What an upgrade, downgrade or stamp would run, given the folder's graph and what is applied. Reads no database. */
public final class Planner {
    private final RevisionGraph graph;

    public Planner(RevisionGraph graph) {
        this.graph = graph;
    }

    /** The revisions a target names; fails on an unknown one before anything connects. */
    public List<String> ids(Target target) {
        if (target instanceof Target.Head) {
            if (graph.revisions().isEmpty() && !graph.repeatables().isEmpty()) {
                return List.of(); // a folder of repeatables alone
            }
            return List.of(graph.requireSingleHead().id());
        }
        if (target instanceof Target.Heads) {
            return graph.heads().stream().map(Revision::id).toList();
        }
        if (target instanceof Target.Id id) {
            return List.of(graph.resolve(id.id()).id());
        }
        if (target instanceof Target.Base) {
            return List.of();
        }
        throw new IllegalArgumentException("a relative target names no revision: " + target);
    }

    public List<PlannedStep> upgrade(Map<String, AppliedRevision> applied, Target target) {
        return upgrade(applied, target, Phase.ALL);
    }

    /**
     * The upgrade, or one phase of it: {@link Phase#EXPAND} stops before the first pending contract
     * revision (and anything that follows one), {@link Phase#CONTRACT} is the rest. Repeatables go
     * with the phase that reaches the head.
     */
    public List<PlannedStep> upgrade(Map<String, AppliedRevision> applied, Target target, Phase phase) {
        List<PlannedStep> all = upgradeAll(applied, target);
        if (phase == Phase.ALL) {
            return all;
        }
        Set<String> afterContract = new HashSet<>();
        for (PlannedStep s : all) {
            Revision r = s.revision();
            if (r.contract() || r.parents().stream().anyMatch(afterContract::contains)) {
                afterContract.add(r.id());
            }
        }
        boolean contractPending = !afterContract.isEmpty();
        List<PlannedStep> out = new ArrayList<>();
        for (PlannedStep s : all) {
            boolean repeatable = RevisionGraph.isRepeatable(s.revision().id());
            boolean contractSide = repeatable ? contractPending : afterContract.contains(s.revision().id());
            if (contractSide == (phase == Phase.CONTRACT)) {
                out.add(s);
            }
        }
        return out;
    }

    private List<PlannedStep> upgradeAll(Map<String, AppliedRevision> applied, Target target) {
        List<Revision> pending;
        if (target instanceof Target.Relative r) {
            Set<String> wanted = minus(graph.closure(graph.heads().stream().map(Revision::id).toList()), applied.keySet());
            List<Revision> all = graph.inOrder(wanted);
            if (all.size() < r.steps()) {
                throw BatonException.usage("upgrade +" + r.steps() + " asks for " + r.steps() + " revisions, but only "
                        + all.size() + " are pending");
            }
            pending = all.subList(0, r.steps());
        } else {
            pending = graph.inOrder(minus(graph.closure(ids(target)), applied.keySet()));
        }
        List<PlannedStep> plan = new ArrayList<>();
        for (Revision r : pending) {
            plan.add(PlannedStep.of(r, Direction.UPGRADE));
        }
        if (target instanceof Target.Head || target instanceof Target.Heads) {
            for (Revision r : dueRepeatables(applied)) {
                plan.add(PlannedStep.of(r, Direction.UPGRADE));
            }
        }
        return plan;
    }

    /**
     * Flyway's repeatable migrations that an upgrade to the head runs, after the versioned ones (as
     * Flyway does): those never applied, and those whose checksum differs from their last run.
     */
    public List<Revision> dueRepeatables(Map<String, AppliedRevision> applied) {
        List<Revision> due = new ArrayList<>();
        for (Revision r : graph.repeatables()) {
            AppliedRevision last = applied.get(r.id());
            if (last == null || changed(r, last)) {
                due.add(r);
            }
        }
        return due;
    }

    public List<PlannedStep> downgrade(Map<String, AppliedRevision> applied, Target target) {
        List<Revision> appliedInOrder = graph.inOrder(applied.keySet());
        List<Revision> remove;
        if (target instanceof Target.Base) {
            remove = appliedInOrder;
        } else if (target instanceof Target.Relative r) {
            if (appliedInOrder.size() < r.steps()) {
                throw BatonException.usage("downgrade -" + r.steps() + " asks for " + r.steps() + " revisions, but only "
                        + appliedInOrder.size() + " are applied");
            }
            remove = appliedInOrder.subList(appliedInOrder.size() - r.steps(), appliedInOrder.size());
        } else {
            Revision keep = graph.resolve(((Target.Id) target).id());
            if (!applied.containsKey(keep.id())) {
                throw BatonException.usage("revision " + keep.id() + " is not applied, so there is nothing to"
                        + " downgrade to; `baton migrate current` shows the applied heads");
            }
            Set<String> descendants = graph.descendants(keep.id());
            remove = appliedInOrder.stream().filter(r -> descendants.contains(r.id())).toList();
        }
        List<PlannedStep> plan = new ArrayList<>();
        for (int i = remove.size() - 1; i >= 0; i--) {
            plan.add(PlannedStep.of(remove.get(i), Direction.DOWNGRADE));
        }
        return plan;
    }

    /** Unrecords what is applied beyond the target (newest first), then records what it lacks. */
    public List<PlannedStep> stamp(Map<String, AppliedRevision> applied, Target target) {
        Set<String> wanted = graph.closure(ids(target));
        List<PlannedStep> plan = new ArrayList<>();
        List<Revision> remove = graph.inOrder(minus(applied.keySet(), wanted));
        for (int i = remove.size() - 1; i >= 0; i--) {
            plan.add(new PlannedStep(remove.get(i), Direction.UNSTAMP, null, List.of()));
        }
        for (Revision r : graph.inOrder(minus(wanted, applied.keySet()))) {
            plan.add(new PlannedStep(r, Direction.STAMP, null, List.of()));
        }
        return plan;
    }

    /** Applied revisions must be in the folder, and unchanged unless allowed. */
    public void checkApplied(Map<String, AppliedRevision> applied, boolean allowChanged, Path dir) {
        List<String> unknown = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        for (AppliedRevision a : applied.values()) {
            if (!graph.contains(a.revision())) {
                unknown.add(a.revision());
            } else if (!allowChanged && a.how().ranFile() && !RevisionGraph.isRepeatable(a.revision())
                    && changed(graph.get(a.revision()), a)) {
                changed.add(a.revision() + " (" + graph.get(a.revision()).source() + ", applied " + a.appliedAt() + ")");
            }
        }
        if (!unknown.isEmpty()) {
            throw BatonException.state("the database has applied revisions that are not in " + dir + ": "
                    + unknown + "; is this an older checkout of the migrations? (`baton migrate current` lists them)");
        }
        if (!changed.isEmpty()) {
            throw BatonException.state("applied revision(s) changed since they ran: " + String.join(", ", changed)
                    + "; restore the files, or pass --allow-changed if the edit is harmless (`baton migrate verify` shows them)");
        }
    }

    /** Whether a revision's file differs from what was applied (by checksum, where both have one). */
    public static boolean changed(Revision r, AppliedRevision a) {
        return r.checksum() != null && a.checksum() != null && !r.checksum().equals(a.checksum());
    }

    /** The applied revisions that no other applied revision names as parent. */
    public static List<AppliedRevision> appliedHeads(Map<String, AppliedRevision> applied) {
        Map<String, List<String>> parents = new LinkedHashMap<>();
        applied.values().forEach(a -> parents.put(a.revision(), a.parents()));
        List<AppliedRevision> out = new ArrayList<>();
        for (String id : RevisionGraph.headsOf(parents)) {
            out.add(applied.get(id));
        }
        return out;
    }

    public static List<String> revisionIds(List<AppliedRevision> revisions) {
        return revisions.stream().map(AppliedRevision::revision).toList();
    }

    private static Set<String> minus(Set<String> a, Set<String> b) {
        Set<String> out = new HashSet<>(a);
        out.removeAll(b);
        return out;
    }
}
