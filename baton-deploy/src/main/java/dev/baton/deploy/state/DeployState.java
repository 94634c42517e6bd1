package dev.baton.deploy.state;

import dev.baton.BatonException;
import dev.baton.IoReason;
import dev.baton.Json;
import dev.baton.PrivateFiles;
import dev.baton.deploy.config.StatePaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the last deploy left: {@code <state>/state.json}. Null fields mean "never deployed".
 *
 * @param active the colour serving traffic
 * @param previous the colour it took over from (where {@code baton rollback} goes)
 * @param revision the schema heads after the deploy, comma-separated
 * @param release the release id
 * @param commit the git commit deployed, if known
 * @param deployedAt ISO-8601 time of the switch
 * @param colours per colour, what it was last started with (rollback restarts that)
 */
public record DeployState(String active, String previous, String revision, String release, String commit,
                          String deployedAt, Map<String, ColourRun> colours) {
    public static final DeployState NONE = new DeployState(null, null, null, null, null, null);

    public DeployState {
        colours = Collections.unmodifiableMap(new LinkedHashMap<>(colours));
    }

    public DeployState(String active, String previous, String revision, String release, String commit, String deployedAt) {
        this(active, previous, revision, release, commit, deployedAt, Map.of());
    }

    public Optional<ColourRun> colour(String colour) {
        return Optional.ofNullable(colour == null ? null : colours.get(colour));
    }

    /** The same state with {@code colour} recorded as started with {@code run}. */
    public DeployState with(String colour, ColourRun run) {
        Map<String, ColourRun> c = new LinkedHashMap<>(colours);
        c.put(colour, run);
        return new DeployState(active, previous, revision, release, commit, deployedAt, c);
    }

    public static DeployState load(Path stateDir) {
        Path file = new StatePaths(stateDir).state();
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return NONE;
        }
        try {
            if (!Files.isRegularFile(file)) { // a folder there is not "never deployed"
                throw new IOException("not a file");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) Json.parse(Files.readString(file, StandardCharsets.UTF_8));
            Map<String, ColourRun> colours = new LinkedHashMap<>();
            if (m.get("colours") instanceof Map<?, ?> c) {
                c.forEach((k, v) -> ColourRun.fromMap(v).ifPresent(r -> colours.put(String.valueOf(k), r)));
            }
            return new DeployState(str(m, "active"), str(m, "previous"), str(m, "revision"), str(m, "release"),
                    str(m, "commit"), str(m, "deployed_at"), colours);
        } catch (IOException | IllegalArgumentException | ClassCastException e) {
            throw BatonException.state(file + " is not readable state (" + e.getMessage() + "); move it aside (mv " + file
                    + " " + file + ".broken) and run baton recover: it writes a new one from what the routers serve (what"
                    + " each colour ran, which baton rollback restarts, is then unknown)");
        }
    }

    public void save(Path stateDir) {
        try {
            PrivateFiles.writeAtomically(new StatePaths(stateDir).state(), Json.write(toMap()) + "\n");
        } catch (IOException e) {
            throw BatonException.state("cannot write " + new StatePaths(stateDir).state() + ": " + IoReason.of(e));
        }
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("active", active);
        m.put("previous", previous);
        m.put("revision", revision);
        m.put("release", release);
        m.put("commit", commit);
        m.put("deployed_at", deployedAt);
        Map<String, Object> c = new LinkedHashMap<>();
        colours.forEach((k, v) -> c.put(k, v.toMap()));
        m.put("colours", c);
        return m;
    }

    /** A value of a parsed JSON object as text, or null. */
    static String str(Map<?, ?> m, String k) {
        Object v = m.get(k);
        return v == null ? null : v.toString();
    }
}
