package dev.baton.deploy.runtime;

import dev.baton.PrivateFiles;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Starts a process that outlives this one (a colour, the router), its output appended to a log,
 * its pid and start time written to a pid file (the start time guards against a recycled pid).
 *
 * <p>It is started by a shell that exits at once, not as this JVM's child: a JDK 17 JVM that still
 * waits for a child in {@code waitpid} (its process reaper) spends 0.3 s more in every exit.
 */
public final class DetachedProcess {
    /**
     * $1 the log, $2 the pid file, the rest the argv; prints the pid of the process in the
     * background. The shell writes the pid file itself: a deploy killed right after starting it
     * must not leave a colour that nothing can find (its recovery stops what the pid file names).
     */
    private static final String SCRIPT = "log=$1; pid=$2; shift 2\n\"$@\" >>\"$log\" 2>&1 </dev/null &\np=$!\n"
            // tee, not echo: its error names the cause (No space left on device)
            + "if ! echo \"$p\" | (umask 077; tee \"$pid.tmp\" >/dev/null) || ! mv -f \"$pid.tmp\" \"$pid\"; then\n"
            + "  kill -KILL \"$p\" 2>/dev/null; rm -f \"$pid.tmp\"; exit 1\nfi\necho \"$p\"\n";

    /** A log over this size is moved to {@code <log>.1} (replacing the one before) when its process starts again. */
    public static final long ROTATE_AT = 64L * 1024 * 1024;

    private DetachedProcess() {}

    /** Keeps a log that every start appends to from growing until the disk is full: one earlier generation is kept. */
    static void rotate(Path log) throws IOException {
        if (Files.isRegularFile(log) && Files.size(log) > ROTATE_AT) {
            Files.move(log, log.resolveSibling(log.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * @return the pid of the started process (which may have exited already, e.g. a command that
     *     is not found, whose error is then in the log)
     */
    public static long start(List<String> argv, Map<String, String> env, Path dir, Path log, Path pidFile) throws IOException {
        return start(argv, env, dir, log, pidFile, null);
    }

    /** @param mark a line appended to the log before the process writes to it (where this start begins), or null */
    public static long start(List<String> argv, Map<String, String> env, Path dir, Path log, Path pidFile, String mark)
            throws IOException {
        List<String> sh = new ArrayList<>(List.of("/bin/sh", "-c", SCRIPT, "baton-start", log.toString(), pidFile.toString()));
        sh.addAll(argv);
        PrivateFiles.ensureDir(log.getParent());
        rotate(log);
        PrivateFiles.ensureFile(log);
        if (mark != null) {
            Files.writeString(log, mark + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        }
        PrivateFiles.ensureDir(pidFile.getParent());
        ProcessBuilder pb = new ProcessBuilder(sh).directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().putAll(env);
        Process starter = pb.start();
        // the shell exits at once and its background process holds neither pipe: both read to the end
        String out = new String(starter.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        String err = new String(starter.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        try {
            if (!starter.waitFor(30, TimeUnit.SECONDS) || starter.exitValue() != 0) {
                starter.destroyForcibly();
                throw new IOException(err.isEmpty() ? "the shell that starts it failed" : err);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting it", e);
        }
        long pid;
        try {
            pid = Long.parseLong(out);
        } catch (NumberFormatException e) {
            throw new IOException("the shell that starts it printed no pid: " + out, e);
        }
        long started = ProcessHandle.of(pid).flatMap(p -> p.info().startInstant()).map(i -> i.toEpochMilli()).orElse(0L);
        try { // with its start time, which guards against a recycled pid
            PrivateFiles.writeAtomically(pidFile, pid + " " + started + "\n");
        } catch (IOException e) {
            // without its pid file nothing could find it again: it would hold its port, untracked
            ProcessHandle.of(pid).ifPresent(p -> {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            });
            throw e;
        }
        return pid;
    }
}
