package dev.baton.migrate.internal;

import dev.baton.BatonException;
import dev.baton.migrate.Change;
import dev.baton.migrate.Layout;
import dev.baton.migrate.Revision;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * sqlx's folder, by sqlx's rules: a file {@code <VERSION>_<DESCRIPTION>.sql} is a migration
 * (other names are ignored, as sqlx ignores them); VERSION is a whole number above zero; a
 * {@code .up.sql} and {@code .down.sql} of one version are one reversible migration, any other
 * {@code .sql} a simple one (no down). Ordered by version as a number; the description is the
 * rest of the name with {@code _} read as a space; {@code -- no-transaction} at the top runs it
 * outside a transaction. The revision id is the version as sqlx records it (without leading zeros).
 */
final class SqlxLayout implements LayoutReader {
    @Override
    public Layout layout() {
        return Layout.SQLX;
    }

    @Override
    public List<Revision> read(List<Path> entries) {
        Map<Long, Path[]> byVersion = new TreeMap<>(); // [up or simple, down]
        for (Path p : entries) {
            String name = p.getFileName().toString();
            int underscore = name.indexOf('_');
            if (!Files.isRegularFile(p) || underscore < 0 || !name.substring(underscore + 1).endsWith(".sql")) {
                continue;
            }
            long version;
            try {
                version = Long.parseLong(name.substring(0, underscore));
            } catch (NumberFormatException e) {
                throw BatonException.usage(p + ": \"" + name.substring(0, underscore) + "\" is not a version: sqlx names a"
                        + " migration <VERSION>_<DESCRIPTION>.sql, VERSION a whole number such as 20240101120000");
            }
            if (version <= 0) {
                throw BatonException.usage(p + ": sqlx versions are above zero, got " + version);
            }
            Path[] pair = byVersion.computeIfAbsent(version, v -> new Path[2]);
            int slot = name.endsWith(".down.sql") ? 1 : 0;
            if (pair[slot] != null) {
                throw BatonException.usage(p + " and " + pair[slot].getFileName() + " are both version " + version
                        + (slot == 0 ? " (up)" : " (down)") + "; sqlx needs one migration per version");
            }
            pair[slot] = p;
        }
        List<LinearChain.Linear> steps = new ArrayList<>();
        for (Map.Entry<Long, Path[]> e : byVersion.entrySet()) {
            Path up = e.getValue()[0];
            Path down = e.getValue()[1];
            if (up == null) {
                throw BatonException.usage(down + ": has no " + e.getKey() + "_*.up.sql beside it");
            }
            if (down != null && !up.getFileName().toString().endsWith(".up.sql")) {
                throw BatonException.usage(down + ": a down file belongs to a reversible migration (" + e.getKey()
                        + "_*.up.sql), but " + up.getFileName() + " is a simple one");
            }
            String name = up.getFileName().toString();
            String suffix = name.endsWith(".up.sql") ? ".up.sql" : ".sql";
            String description = name.substring(name.indexOf('_') + 1, name.length() - suffix.length()).replace('_', ' ');
            String upText = MigrationFiles.read(up);
            steps.add(new LinearChain.Linear(Long.toString(e.getKey()), List.of(BigInteger.valueOf(e.getKey())), "", description,
                    up, new Change.Sql(up, 1, upText), down == null ? null : new Change.Sql(down, 1, MigrationFiles.read(down)),
                    !upText.startsWith("-- no-transaction")));
        }
        return LinearChain.chain(steps, Comparator.comparing(LinearChain.Linear::sortKey, LinearChain::compareVersions));
    }
}
