package dev.baton.migrate.internal;

import dev.baton.BatonException;
import dev.baton.migrate.Change;
import dev.baton.migrate.Layout;
import dev.baton.migrate.Revision;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Baton's own layout: one {@code .sql} file per revision, its graph in a {@code -- baton:} header. */
final class BatonLayout implements LayoutReader {
    static final String REVISION_MARK = "-- baton:revision";
    static final String DOWN_MARK = "-- baton:down";

    @Override
    public Layout layout() {
        return Layout.BATON;
    }

    @Override
    public List<Revision> read(List<Path> entries) {
        List<Revision> out = new ArrayList<>();
        for (Path p : entries) {
            if (!Files.isDirectory(p) && p.getFileName().toString().endsWith(".sql")) {
                out.add(parseBaton(p, MigrationFiles.read(p)));
            }
        }
        return out;
    }

    static Revision parseBaton(Path file, String text) {
        String[] lines = text.split("\n", -1);
        String id = null;
        List<String> parents = null;
        String message = "";
        boolean transactional = true;
        boolean contract = false;
        int downLine = -1;
        boolean inHeader = true;
        for (int i = 0; i < lines.length; i++) {
            String raw = lines[i].strip();
            // the marker however it is spaced (`--baton:down`, `--  baton:down`)
            if (raw.startsWith("--") && raw.substring(2).strip().equals(DOWN_MARK.substring(2).strip())) {
                downLine = i + 1;
                break;
            }
            if (!inHeader) {
                continue;
            }
            if (raw.isEmpty()) {
                continue;
            }
            if (!raw.startsWith("--")) {
                inHeader = false;
                continue;
            }
            String comment = raw.substring(2).strip();
            if (!comment.startsWith("baton:")) {
                continue;
            }
            if (comment.startsWith("baton:allow")) {
                inHeader = false; // a lint suppression belongs to the statement below it
                continue;
            }
            int space = comment.indexOf(' ');
            String key = (space < 0 ? comment : comment.substring(0, space)).substring("baton:".length());
            String value = space < 0 ? "" : comment.substring(space + 1).strip();
            String where = file + ":" + (i + 1) + ": ";
            switch (key) {
                case "revision" -> {
                    if (!value.matches("[A-Za-z0-9_.-]+")) {
                        throw BatonException.usage(where + "revision id \"" + value
                                + "\" must be letters, digits, '_', '.' or '-'");
                    }
                    id = value;
                }
                case "parents", "parent" -> parents = parseParents(value);
                case "message" -> message = value;
                case "transactional" -> transactional = parseBool(value, where);
                case "phase" -> {
                    if (!value.equals("expand") && !value.equals("contract")) {
                        throw BatonException.usage(where + "phase is expand (the default: safe while the old version"
                                + " serves) or contract (runs after the old version stopped), got \"" + value + "\"");
                    }
                    contract = value.equals("contract");
                }
                case "down" -> throw BatonException.usage(where + "`-- baton:down` stands alone on its line (the"
                        + " downgrade SQL goes on the lines below it)");
                default -> throw BatonException.usage(where + "unknown header `-- baton:" + key
                        + "`; expected revision, parents, message, transactional, phase, or the `-- baton:down` marker");
            }
        }
        if (id == null) {
            throw BatonException.usage(file + ":1: no `" + REVISION_MARK + " <id>` line in the header");
        }
        if (parents == null) {
            throw BatonException.usage(file + ":1: no `-- baton:parents` line in the header;"
                    + " write `-- baton:parents` with nothing after it for the first revision");
        }
        String upText = downLine < 0 ? text : String.join("\n", Arrays.copyOfRange(lines, 0, downLine - 1));
        Change.Sql up = new Change.Sql(file, 1, upText);
        Change.Sql down = null;
        if (downLine > 0) {
            String downText = String.join("\n", Arrays.copyOfRange(lines, downLine, lines.length));
            down = new Change.Sql(file, downLine + 1, downText);
            // `baton migrate new` writes the marker with "leave empty if it cannot be undone": an empty
            // section under an upgrade that changes something is no down, not a down that does nothing
            try {
                if (statements(down).isEmpty() && !statements(up).isEmpty()) {
                    down = null;
                }
            } catch (BatonException unsplittable) {
                // said where it runs: the upgrade need not fail on its down
            }
        }
        return new Revision(id, parents, message, file.toString(), MigrationFiles.checksum(up), transactional, up, down, contract);
    }

    private static List<SqlStatement> statements(Change.Sql sql) {
        return SqlSplitter.split(sql.text(), sql.file().toString(), sql.firstLine());
    }

    private static List<String> parseParents(String value) {
        List<String> out = new ArrayList<>();
        for (String part : value.split("[,\\s]+")) {
            if (!part.isEmpty() && !part.equals("base") && !part.equals("none")) {
                out.add(part);
            }
        }
        return out;
    }

    private static boolean parseBool(String value, String where) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "yes" -> true;
            case "false", "no" -> false;
            default -> throw BatonException.usage(where + "expected true or false, got \"" + value + "\"");
        };
    }
}
