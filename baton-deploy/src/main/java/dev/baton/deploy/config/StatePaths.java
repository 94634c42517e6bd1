package dev.baton.deploy.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Every file in a state folder ({@code state_dir:} here, {@code remote_dir:} on a server), named
 * once. Everything in it is private to its owner.
 *
 * @param root the folder
 */
public record StatePaths(Path root) {
    /** What the last deploy left: active and previous colour, revision, release. */
    public Path state() {
        return root.resolve("state.json");
    }

    /** What a running deploy is about to do; left behind only by a deploy that was killed. */
    public Path journal() {
        return root.resolve("journal.json");
    }

    /** One JSON line per deploy or rollback. */
    public Path audit() {
        return root.resolve("audit.jsonl");
    }

    /** The OS lock of apps without a database. */
    public Path deployLock() {
        return root.resolve("deploy.lock");
    }

    /** Deploy logs, service output, the router's log. */
    public Path logs() {
        return root.resolve("logs");
    }

    /** Pid files of what Baton started. */
    public Path run() {
        return root.resolve("run");
    }

    public Path deployLog(String kind, String release) {
        return logs().resolve(kind + "-" + release + ".log");
    }

    public Path serviceLog(String service, String colour) {
        return logs().resolve(service + "-" + colour + ".log");
    }

    public Path servicePid(String service, String colour) {
        return run().resolve(service + "-" + colour + ".pid");
    }

    /** The built-in router's colour, written before a switch takes effect. */
    public Path routerState() {
        return root.resolve("router-state.json");
    }

    /** Tells git to leave the folder out: it holds the router's token, logs and state, none of them for a repository. */
    public Path gitignore() {
        return root.resolve(".gitignore");
    }

    /**
     * Writes {@link #gitignore} (everything ignored) if the folder has none, so that {@code git add -A} in
     * the app's checkout, where {@code state_dir: .baton} lives, does not commit the token. Best effort:
     * a folder Baton cannot write to fails elsewhere with the reason.
     */
    public void keepOutOfGit() {
        if (Files.isDirectory(root) && !Files.exists(gitignore())) {
            try {
                Files.writeString(gitignore(), "# Baton's state (router token, logs, state.json): not for a repository\n*\n",
                        StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            } catch (IOException e) {
                // written meanwhile, or a folder that refuses writes: the writes that matter say so
            }
        }
    }

    /** The built-in router's admin token, generated on first use. */
    public Path routerToken() {
        return root.resolve("router.token");
    }

    public Path routerLog() {
        return logs().resolve("router.log");
    }

    /** The built-in router that serves (restarted by its supervisor when it dies). */
    public Path routerPid() {
        return run().resolve("router.pid");
    }

    /**
     * Where the standby router warms up a throwaway router (its state file): removed after the warm-up,
     * and at the start of the next one when a standby was stopped in the middle.
     */
    public Path standbyWarmUp() {
        return run().resolve("standby-warm-up");
    }

    /** The process that restarts the built-in router (started by a deploy when no router runs). */
    public Path routerSupervisorPid() {
        return run().resolve("router-supervisor.pid");
    }
}
