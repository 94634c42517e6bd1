package dev.baton.migrate.internal;

import dev.baton.BatonException;
import dev.baton.migrate.Change;
import dev.baton.migrate.Layout;
import dev.baton.migrate.Revision;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A folder per revision with {@code up.sql} and {@code down.sql} (diesel's layout), in diesel's
 * order: by version, the folder name before its first {@code _} with every {@code -} removed,
 * compared as text ({@code 2017-09-23-182408_x} is version {@code 20170923182408}, and sorts
 * after {@code 20170101000000_y}). Two folders with one version are refused, as diesel would
 * keep only one of them. The revision id stays the name before the first {@code _}, as written.
 */
final class FoldersLayout implements LayoutReader {
    @Override
    public Layout layout() {
        return Layout.FOLDERS;
    }

    @Override
    public List<Revision> read(List<Path> entries) {
        List<LinearChain.Linear> steps = new ArrayList<>();
        for (Path p : entries) {
            if (!Files.isDirectory(p)) {
                continue;
            }
            Path up = p.resolve("up.sql");
            if (!Files.isRegularFile(up)) {
                throw BatonException.usage(p + ": folder has no up.sql; every folder here is one revision");
            }
            String name = p.getFileName().toString();
            int underscore = name.indexOf('_');
            String id = underscore < 0 ? name : name.substring(0, underscore);
            String message = underscore < 0 ? "" : name.substring(underscore + 1).replace('_', ' ');
            Path down = p.resolve("down.sql");
            Path metadata = p.resolve("metadata.toml");
            String upText = MigrationFiles.read(up);
            boolean tx = !MigrationFiles.noTransaction(upText) && (!Files.isRegularFile(metadata) || runInTransaction(metadata));
            steps.add(new LinearChain.Linear(id, List.of(), dieselVersion(name), message, p, new Change.Sql(up, 1, upText),
                    Files.isRegularFile(down) ? new Change.Sql(down, 1, MigrationFiles.read(down)) : null, tx));
        }
        Map<String, Path> versions = new LinkedHashMap<>();
        for (LinearChain.Linear s : steps) {
            Path clash = versions.put(s.sortName(), s.source());
            if (clash != null) {
                throw BatonException.usage(s.source() + " and " + clash + " are both version " + s.sortName()
                        + " (diesel's version: the name before the first _, without -); rename one");
            }
        }
        return LinearChain.chain(steps, Comparator.comparing(LinearChain.Linear::sortName));
    }

    /** diesel's version of a migration folder: its name up to the first {@code _}, {@code -} removed. */
    static String dieselVersion(String folderName) {
        int underscore = folderName.indexOf('_');
        return (underscore < 0 ? folderName : folderName.substring(0, underscore)).replace("-", "");
    }

    /**
     * diesel's {@code metadata.toml}: {@code run_in_transaction = false} runs the migration (both
     * ways) outside a transaction; without the key, in one. Comments ({@code #}) are not read.
     */
    static boolean runInTransaction(Path metadata) {
        String[] lines = MigrationFiles.read(metadata).split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int hash = line.indexOf('#');
            String code = (hash < 0 ? line : line.substring(0, hash)).strip();
            if (code.startsWith("[")) {
                break; // a table: the key belongs to the top level
            }
            int eq = code.indexOf('=');
            if (eq > 0 && code.substring(0, eq).strip().equals("run_in_transaction")) {
                String value = code.substring(eq + 1).strip();
                if (!value.equals("true") && !value.equals("false")) {
                    throw BatonException.usage(metadata + ":" + (i + 1) + ": run_in_transaction is true or false, got " + value);
                }
                return value.equals("true");
            }
        }
        return true;
    }
}
