package dev.baton.deploy.state;

import dev.baton.BatonException;
import dev.baton.IoReason;
import dev.baton.Json;
import dev.baton.PrivateFiles;
import dev.baton.TextTail;
import dev.baton.deploy.config.StatePaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code <state>/audit.jsonl}: one JSON object per deploy or rollback, appended, never rewritten. */
public final class AuditLog {
    private final Path file;

    public AuditLog(Path stateDir) {
        this.file = new StatePaths(stateDir).audit();
    }

    public Path file() {
        return file;
    }

    public void append(AuditRecord record) {
        try {
            PrivateFiles.ensureDir(file.getParent());
            PrivateFiles.ensureFile(file);
            // one write of one line with O_APPEND: concurrent writers cannot interleave inside a record
            Files.writeString(file, Json.write(record.toMap()) + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw BatonException.state("cannot append to " + file + ": " + IoReason.of(e));
        }
    }

    /**
     * The newest record that parses, read from the end of the file (its last 64 KB: a long audit
     * log is not read whole for it); empty when there is none.
     */
    @SuppressWarnings("unchecked")
    public Optional<Map<String, Object>> last() {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            List<String> lines = TextTail.lines(file, Integer.MAX_VALUE);
            for (int i = lines.size() - 1; i >= 0; i--) {
                try {
                    return Optional.of((Map<String, Object>) Json.parse(lines.get(i)));
                } catch (IllegalArgumentException | ClassCastException e) {
                    // a torn line
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            throw BatonException.state("cannot read " + file + ": " + IoReason.of(e));
        }
    }

    /** Every record, oldest first; a line that does not parse is skipped (a crash mid-write, a damaged line). */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> read() {
        List<Map<String, Object>> out = new ArrayList<>();
        if (!Files.isRegularFile(file)) {
            return out;
        }
        try {
            // decoded leniently: a byte that is not UTF-8 (a disk's damage, a hand edit) spoils its line, not the history
            for (String line : new String(Files.readAllBytes(file), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    out.add((Map<String, Object>) Json.parse(line));
                } catch (IllegalArgumentException | ClassCastException e) {
                    // a torn last line
                }
            }
        } catch (IOException e) {
            throw BatonException.state("cannot read " + file + ": " + IoReason.of(e));
        }
        return out;
    }
}
