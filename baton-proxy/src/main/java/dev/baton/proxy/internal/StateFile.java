package dev.baton.proxy.internal;

import dev.baton.PrivateFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The router's one piece of state, the active colour, written atomically so a crash never leaves half a file. */
public final class StateFile {
    private static final Pattern ACTIVE = Pattern.compile("\"active\"\\s*:\\s*\"([A-Za-z0-9_-]+)\"");
    private final Path file;

    public StateFile(Path file) {
        this.file = file;
    }

    /** The stored colour, or null if there is no state yet. */
    public String read() throws IOException {
        if (!Files.exists(file)) {
            return null;
        }
        Matcher m = ACTIVE.matcher(Files.readString(file, StandardCharsets.UTF_8));
        if (!m.find()) {
            throw new IOException(file + " does not name an active colour; delete it to start from the configured colour");
        }
        return m.group(1);
    }

    public void write(String colour) throws IOException {
        PrivateFiles.writeAtomically(file.toAbsolutePath(), "{\"active\":\"" + colour + "\",\"switched_at\":\"" + Instant.now() + "\"}\n");
    }
}
