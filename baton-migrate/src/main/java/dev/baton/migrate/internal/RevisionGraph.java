package dev.baton.migrate.internal;

import dev.baton.BatonException;
import dev.baton.migrate.Revision;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The revisions as a directed acyclic graph (parent to child), checked on construction: duplicate
 * ids, missing parents and cycles are errors naming the file. Ordering is topological with ties
 * broken by the order the revisions were read in, so plans are deterministic.
 */
public final class RevisionGraph {
    private final Map<String, Revision> byId = new LinkedHashMap<>();
    private final Map<String, List<String>> children = new HashMap<>();
    private final List<Revision> ordered;
    private final List<Revision> repeatables = new ArrayList<>();

    /** @param all the folder's revisions; Flyway's repeatable ones ({@link #isRepeatable}) are kept apart from the graph */
    public RevisionGraph(List<Revision> all) {
        List<Revision> revisions = new ArrayList<>();
        for (Revision r : all) {
            (isRepeatable(r.id()) ? repeatables : revisions).add(r);
        }
        for (Revision r : all) {
            Revision clash = byId.putIfAbsent(r.id(), r);
            if (clash != null) {
                throw BatonException.usage(r.source() + ": duplicate revision id " + r.id() + ", also in "
                        + clash.source() + "; give one of them a new id");
            }
        }
        repeatables.forEach(r -> byId.remove(r.id()));
        for (Revision r : revisions) {
            children.computeIfAbsent(r.id(), k -> new ArrayList<>());
            for (String p : new LinkedHashSet<>(r.parents())) {
                if (!byId.containsKey(p)) {
                    throw BatonException.usage(r.source() + ": revision " + r.id() + " names parent " + p
                            + ", which is not in the migrations folder; fix `-- baton:parents` or restore the missing file");
                }
                if (p.equals(r.id())) {
                    throw BatonException.usage(r.source() + ": revision " + r.id() + " names itself as parent");
                }
                children.computeIfAbsent(p, k -> new ArrayList<>()).add(r.id());
            }
        }
        ordered = topologicalOrder();
    }

    public List<Revision> revisions() {
        return ordered;
    }

    /**
     * Flyway's repeatable migrations ({@code R__<description>.sql}), in Flyway's order (by
     * description): no place in the graph, re-applied after the versioned ones whenever their
     * checksum changes.
     */
    public List<Revision> repeatables() {
        return repeatables;
    }

    /** Whether an id is a repeatable migration's ({@code R__<description>}: no versioned id starts so). */
    public static boolean isRepeatable(String id) {
        return id.startsWith(REPEATABLE_PREFIX);
    }

    public static final String REPEATABLE_PREFIX = "R__";

    public boolean contains(String id) {
        return get(id) != null;
    }

    public Revision get(String id) {
        Revision r = byId.get(id);
        if (r == null && isRepeatable(id)) {
            r = repeatables.stream().filter(x -> x.id().equals(id)).findFirst().orElse(null);
        }
        return r;
    }

    /** Revisions no other revision names as parent, in graph order. */
    public List<Revision> heads() {
        List<Revision> out = new ArrayList<>();
        for (Revision r : ordered) {
            if (children.get(r.id()).isEmpty()) {
                out.add(r);
            }
        }
        return out;
    }

    /** The unique head; two or more is an error that suggests a merge revision. */
    public Revision requireSingleHead() {
        List<Revision> heads = heads();
        if (heads.isEmpty()) {
            throw BatonException.usage("the migrations folder has no revisions; create one with `baton migrate new \"message\"`");
        }
        if (heads.size() > 1) {
            StringBuilder msg = new StringBuilder("the revision graph has " + heads.size() + " heads:");
            for (Revision h : heads) {
                msg.append("\n  ").append(h.id()).append(" (").append(h.source()).append(')');
            }
            msg.append("\njoin them with a merge revision: baton migrate new --merge \"merge heads\"")
                    .append("\n(or apply every branch with `upgrade heads`)");
            throw BatonException.usage(msg.toString());
        }
        return heads.get(0);
    }

    /**
     * Resolves a revision id or a unique prefix of one (at least 4 characters), as Alembic does.
     * Unknown or ambiguous ids are errors listing what exists.
     */
    public Revision resolve(String idOrPrefix) {
        Revision exact = byId.get(idOrPrefix);
        if (exact != null) {
            return exact;
        }
        List<Revision> matches = new ArrayList<>();
        if (idOrPrefix.length() >= 4) {
            for (Revision r : ordered) {
                if (r.id().startsWith(idOrPrefix)) {
                    matches.add(r);
                }
            }
        }
        if (matches.size() == 1) {
            return matches.get(0);
        }
        if (matches.size() > 1) {
            throw BatonException.usage("revision prefix " + idOrPrefix + " is ambiguous: it matches "
                    + matches.stream().map(Revision::id).toList());
        }
        throw BatonException.usage("unknown revision " + idOrPrefix + "; `baton migrate history` lists the "
                + ordered.size() + (ordered.size() == 1 ? " revision" : " revisions") + " of the migrations folder (targets: head,"
                + " heads, base, +N, -N or an id)");
    }

    /** The revision and all its ancestors. */
    public Set<String> closure(Collection<String> ids) {
        Set<String> out = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(ids);
        while (!todo.isEmpty()) {
            String id = todo.pop();
            if (out.add(id)) {
                todo.addAll(byId.get(id).parents());
            }
        }
        return out;
    }

    /** Strict descendants of a revision. */
    public Set<String> descendants(String id) {
        Set<String> out = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(children.get(id));
        while (!todo.isEmpty()) {
            String c = todo.pop();
            if (out.add(c)) {
                todo.addAll(children.get(c));
            }
        }
        return out;
    }

    /** The given ids in graph order. */
    public List<Revision> inOrder(Set<String> ids) {
        List<Revision> out = new ArrayList<>();
        for (Revision r : ordered) {
            if (ids.contains(r.id())) {
                out.add(r);
            }
        }
        return out;
    }

    /** Heads of a set of applied ids: those none of whose children are in the set. */
    public static List<String> headsOf(Map<String, List<String>> parentsById) {
        Set<String> parents = new HashSet<>();
        parentsById.values().forEach(parents::addAll);
        List<String> out = new ArrayList<>();
        for (String id : parentsById.keySet()) {
            if (!parents.contains(id) && !isRepeatable(id)) {
                out.add(id);
            }
        }
        return out;
    }

    private List<Revision> topologicalOrder() {
        Map<String, Integer> pending = new HashMap<>();
        Deque<String> ready = new ArrayDeque<>();
        for (Revision r : byId.values()) {
            pending.put(r.id(), new LinkedHashSet<>(r.parents()).size());
            if (r.parents().isEmpty()) {
                ready.add(r.id());
            }
        }
        List<Revision> out = new ArrayList<>(byId.size());
        // Kahn's algorithm; a child becomes ready once all its parents are placed
        while (!ready.isEmpty()) {
            String id = ready.poll();
            out.add(byId.get(id));
            for (String c : children.get(id)) {
                if (pending.merge(c, -1, Integer::sum) == 0) {
                    ready.add(c);
                }
            }
        }
        if (out.size() < byId.size()) {
            throw BatonException.usage("the revision graph has a cycle: " + describeCycle(pending));
        }
        return out;
    }

    private String describeCycle(Map<String, Integer> pending) {
        // walk parents from any unplaced revision until one repeats
        String start = null;
        for (Map.Entry<String, Integer> e : pending.entrySet()) {
            if (e.getValue() > 0) {
                start = e.getKey();
                break;
            }
        }
        List<String> path = new ArrayList<>();
        String at = start;
        while (!path.contains(at)) {
            path.add(at);
            String next = null;
            for (String p : byId.get(at).parents()) {
                if (pending.get(p) > 0) {
                    next = p;
                    break;
                }
            }
            at = next;
        }
        List<String> cycle = new ArrayList<>(path.subList(path.indexOf(at), path.size()));
        StringBuilder msg = new StringBuilder();
        for (String id : cycle) {
            msg.append(id).append(" (").append(byId.get(id).source()).append(") -> parent ");
        }
        msg.append(at).append("; break the cycle by fixing one revision's parents");
        return msg.toString();
    }
}
