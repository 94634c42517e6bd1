package dev.baton.deploy.state;

import dev.baton.BatonException;
import dev.baton.Json;
import dev.baton.PrivateFiles;
import dev.baton.deploy.config.StatePaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
            throw BatonException.state("cannot append to " + file + ": " + e.getMessage());
        }
    }

    /** Every record, oldest first; a line that does not parse is skipped (a crash mid-write). */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> read() {
        List<Map<String, Object>> out = new ArrayList<>();
        if (!Files.isRegularFile(file)) {
            return out;
        }
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
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
            throw BatonException.state("cannot read " + file + ": " + e.getMessage());
        }
        return out;
    }
}
