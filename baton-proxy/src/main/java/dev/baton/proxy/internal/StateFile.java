package dev.baton.proxy.internal;

import dev.baton.Json;
import dev.baton.PrivateFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The router's state: the active colour and each colour's routes as its last switch gave them,
 * written atomically so a crash never leaves half a file. A router restarted after baton.yml
 * changed keeps sending each colour where it runs, not where the edited file says.
 */
public final class StateFile {
    private static final Pattern COLOUR = Pattern.compile("[A-Za-z0-9_-]+");
    private final Path file;

    /** What the file holds: the active colour, and the routes of the colours a switch gave them for (maybe none). */
    public record Stored(String active, Map<String, ColourRoutes> routes) {}

    public StateFile(Path file) {
        this.file = file;
    }

    /** What is stored, or null if there is no state yet. */
    public Stored read() throws IOException {
        if (!Files.exists(file)) {
            return null;
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        Object parsed;
        try {
            parsed = Json.parse(text);
        } catch (IllegalArgumentException e) {
            parsed = null;
        }
        if (!(parsed instanceof Map<?, ?> m) || !(m.get("active") instanceof String active) || !COLOUR.matcher(active).matches()) {
            throw new IOException(file + " does not name an active colour; delete it to start from the configured colour");
        }
        Map<String, ColourRoutes> routes = new LinkedHashMap<>();
        if (m.get("routes") instanceof Map<?, ?> byColour) {
            for (Map.Entry<?, ?> e : byColour.entrySet()) {
                try {
                    List<String> specs = new ArrayList<>();
                    for (Object spec : (List<?>) e.getValue()) {
                        specs.add((String) spec);
                    }
                    routes.put(String.valueOf(e.getKey()), ColourRoutes.parse(specs, true));
                } catch (ClassCastException | IllegalArgumentException bad) {
                    throw new IOException(file + ": the routes of " + e.getKey() + " cannot be read ("
                            + bad.getMessage() + "); delete it to start from the configured routes");
                }
            }
        } else if (m.containsKey("routes")) {
            throw new IOException(file + ": \"routes\" is not a map of colours; delete it to start from the configured routes");
        }
        return new Stored(active, routes);
    }

    public void write(String colour, Map<String, ColourRoutes> routes) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("active", colour);
        m.put("switched_at", Instant.now().toString());
        Map<String, Object> byColour = new TreeMap<>();
        routes.forEach((c, r) -> byColour.put(c, new ArrayList<Object>(r.specs())));
        m.put("routes", byColour);
        PrivateFiles.writeAtomically(file.toAbsolutePath(), Json.write(m) + "\n");
    }

    /** Only the active colour: the routes are then the configured ones. */
    public void write(String colour) throws IOException {
        write(colour, Map.of());
    }
}
