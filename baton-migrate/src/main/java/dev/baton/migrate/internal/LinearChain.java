package dev.baton.migrate.internal;

import dev.baton.migrate.Change;
import dev.baton.migrate.Revision;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The linear layouts (Flyway, golang-migrate, folders): steps in an order, each the parent of the next. */
final class LinearChain {
    private LinearChain() {}

    /**
     * One step of a linear layout before parents are assigned. {@code checksum}: of the file as
     * written when {@code up} is not (Flyway's placeholders), else null to take {@code up}'s.
     */
    record Linear(String id, List<BigInteger> sortKey, String sortName, String message, Path source,
                          Change.Sql up, Change.Sql down, boolean transactional, String checksum) {
        Linear(String id, List<BigInteger> sortKey, String sortName, String message, Path source,
               Change.Sql up, Change.Sql down, boolean transactional) {
            this(id, sortKey, sortName, message, source, up, down, transactional, null);
        }
    }

    static List<Revision> chain(List<Linear> steps, Comparator<Linear> order) {
        steps.sort(order);
        List<Revision> out = new ArrayList<>();
        String previous = null;
        for (Linear s : steps) {
            List<String> parents = previous == null ? List.of() : List.of(previous);
            out.add(new Revision(s.id(), parents, s.message(), s.source().toString(),
                    s.checksum() != null ? s.checksum() : MigrationFiles.checksum(s.up()),
                    s.transactional(), s.up(), s.down()));
            previous = s.id();
        }
        return out;
    }

    /**
     * A dotted version as Flyway compares it: numerically, part by part, any length (timestamps such
     * as 20130115113556 are versions), trailing zero parts ignored, so 1, 1.0 and 001 are one version.
     */
    static List<BigInteger> versionKey(String version) {
        List<BigInteger> key = new ArrayList<>();
        for (String part : version.split("\\.")) {
            key.add(new BigInteger(part));
        }
        while (key.size() > 1 && key.get(key.size() - 1).signum() == 0) {
            key.remove(key.size() - 1);
        }
        return key;
    }

    static int compareVersions(List<BigInteger> a, List<BigInteger> b) {
        for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
            BigInteger x = i < a.size() ? a.get(i) : BigInteger.ZERO;
            BigInteger y = i < b.size() ? b.get(i) : BigInteger.ZERO;
            if (!x.equals(y)) {
                return x.compareTo(y);
            }
        }
        return 0;
    }

}
