package dev.baton.migrate.internal;

import dev.baton.BatonException;
import dev.baton.migrate.Change;
import dev.baton.migrate.Layout;
import dev.baton.migrate.Revision;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * golang-migrate's {@code <version>_<name>.up.sql} and {@code .down.sql}, linear by version. A
 * file that manages its own transaction runs as written (see {@link #ownsTransaction}).
 */
final class GolangMigrateLayout implements LayoutReader {
    static final Pattern FILE = Pattern.compile("(\\d+)_(.+)\\.(up|down)\\.sql");

    @Override
    public Layout layout() {
        return Layout.GOLANG_MIGRATE;
    }

    @Override
    public List<Revision> read(List<Path> entries) {
        Map<String, Path[]> pairs = new LinkedHashMap<>();
        Map<BigInteger, String> versions = new HashMap<>(); // golang-migrate reads a version as a number: 01 = 1
        for (Path p : entries) {
            Matcher m = FILE.matcher(p.getFileName().toString());
            if (!m.matches()) {
                continue;
            }
            String same = versions.putIfAbsent(new BigInteger(m.group(1)), m.group(1));
            if (same != null && !same.equals(m.group(1))) {
                Path other = Arrays.stream(pairs.get(same)).filter(Objects::nonNull).findFirst().orElseThrow();
                throw BatonException.usage(p + ": version " + m.group(1) + " is the same version as " + other.getFileName()
                        + " (golang-migrate reads versions as numbers, so it refuses the pair too); renumber one of them");
            }
            Path[] pair = pairs.computeIfAbsent(m.group(1), k -> new Path[2]);
            int slot = m.group(3).equals("up") ? 0 : 1;
            if (pair[slot] != null) {
                throw BatonException.usage(p + ": duplicate revision id " + m.group(1) + ", also in " + pair[slot]);
            }
            pair[slot] = p;
        }
        List<LinearChain.Linear> steps = new ArrayList<>();
        for (Map.Entry<String, Path[]> e : pairs.entrySet()) {
            Path up = e.getValue()[0];
            Path down = e.getValue()[1];
            if (up == null) {
                throw BatonException.usage(down + ": has no matching " + e.getKey() + "_*.up.sql");
            }
            Matcher m = FILE.matcher(up.getFileName().toString());
            m.matches();
            String upText = MigrationFiles.read(up);
            String downText = down == null ? null : MigrationFiles.read(down);
            boolean asWritten = MigrationFiles.noTransaction(upText) || ownsTransaction(upText, up)
                    || (downText != null && ownsTransaction(downText, down));
            steps.add(new LinearChain.Linear(e.getKey(), List.of(), "", m.group(2).replace('_', ' '), up,
                    new Change.Sql(up, 1, upText), down == null ? null : new Change.Sql(down, 1, downText), !asWritten));
        }
        return LinearChain.chain(steps, Comparator.comparing((LinearChain.Linear l) -> new BigInteger(l.id())));
    }

    /**
     * golang-migrate runs a file as written, in no transaction of its own. A file that has its own
     * BEGIN/COMMIT, or a statement that cannot run in a transaction (a lone CREATE INDEX
     * CONCURRENTLY), is run that way by Baton too: without its wrapping transaction, the history
     * row written after it. Any other file keeps Baton's transaction (all or nothing).
     */
    private static boolean ownsTransaction(String text, Path file) {
        return SqlSplitter.split(text, file.toString(), 1).stream()
                .anyMatch(s -> PlannedStep.controlsTransaction(s) || PlannedStep.cannotRunInTransaction(s));
    }
}
