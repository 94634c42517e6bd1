package dev.baton.migrate.internal;

import dev.baton.migrate.Change;
import dev.baton.migrate.Revision;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The linear layouts (Flyway, golang-migrate, folders): steps in an order, each the parent of the next. */
final class LinearChain {
    private LinearChain() {}

    /** One step of a linear layout before parents are assigned. */
    record Linear(String id, List<Integer> sortKey, String sortName, String message, Path source,
                          Change.Sql up, Change.Sql down, boolean transactional) {}

    static List<Revision> chain(List<Linear> steps, Comparator<Linear> order) {
        steps.sort(order);
        List<Revision> out = new ArrayList<>();
        String previous = null;
        for (Linear s : steps) {
            List<String> parents = previous == null ? List.of() : List.of(previous);
            out.add(new Revision(s.id(), parents, s.message(), s.source().toString(), MigrationFiles.checksum(s.up()),
                    s.transactional(), s.up(), s.down()));
            previous = s.id();
        }
        return out;
    }

    static List<Integer> versionKey(String version) {
        List<Integer> key = new ArrayList<>();
        for (String part : version.split("\\.")) {
            key.add(Integer.parseInt(part));
        }
        return key;
    }

    static int compareVersions(List<Integer> a, List<Integer> b) {
        for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
            int x = i < a.size() ? a.get(i) : 0;
            int y = i < b.size() ? b.get(i) : 0;
            if (x != y) {
                return Integer.compare(x, y);
            }
        }
        return 0;
    }

}
