package dev.baton.deploy;

import dev.baton.BatonException;
import dev.baton.deploy.port.Command;
import dev.baton.deploy.port.CommandResult;
import dev.baton.deploy.port.Host;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The version a deploy ships, named once and used everywhere: {@code ${baton.version}} in
 * baton.yml, state, history, status, the release tag and the notices. The first of: {@code --version},
 * {@code BATON_VERSION}, the git commit of the config's folder (7 characters, {@code -dirty} when
 * tracked files changed since), the time of the deploy.
 *
 * @param value the version
 * @param source where it came from, for people: {@code --version}, {@code BATON_VERSION}, {@code git}, {@code time}
 */
public record DeployVersion(String value, String source) {
    /** The name baton.yml uses for it: {@code ${baton.version}}. */
    public static final String KEY = "baton.version";

    /** Docker's rule for a tag, so a version is always a valid image tag, folder name and git ref part. */
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    public DeployVersion {
        if (!VALID.matcher(value).matches() || value.contains("..")) {
            throw BatonException.usage(source + ": \"" + value + "\" is not a version; write letters, digits, _ . -"
                    + " (up to 128, not starting with . or -), e.g. 1.4.2 or 2026-11-29.1");
        }
    }

    /**
     * @param explicit {@code --version}, or null
     * @param env the environment ({@code BATON_VERSION})
     * @param dir the config's folder, asked for its git commit
     * @param here runs git
     */
    public static DeployVersion resolve(String explicit, Map<String, String> env, Path dir, Host here) {
        if (explicit != null) {
            return new DeployVersion(explicit, "--version");
        }
        String fromEnv = env.get("BATON_VERSION");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return new DeployVersion(fromEnv.strip(), "BATON_VERSION");
        }
        String commit = git(here, dir, "rev-parse", "--short=7", "HEAD");
        if (commit != null && !commit.isEmpty()) {
            String changed = git(here, dir, "status", "--porcelain", "--untracked-files=no");
            return new DeployVersion(commit + (changed == null || changed.isEmpty() ? "" : "-dirty"), "git");
        }
        return new DeployVersion(TIME.format(Instant.now()), "time");
    }

    /** The environment baton.yml is read with: {@code env} and {@code baton.version}. */
    public Map<String, String> into(Map<String, String> env) {
        Map<String, String> out = new LinkedHashMap<>(env);
        out.put(KEY, value);
        return out;
    }

    private static String git(Host here, Path dir, String... args) {
        try {
            String[] argv = new String[args.length + 3];
            argv[0] = "git";
            argv[1] = "-C";
            argv[2] = dir.toString();
            System.arraycopy(args, 0, argv, 3, args.length);
            CommandResult r = here.run(Command.of(argv).timeout(Duration.ofSeconds(5)));
            return r.ok() ? r.output().strip() : null;
        } catch (RuntimeException e) {
            return null; // no git here
        }
    }
}
