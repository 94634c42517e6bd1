package dev.baton.deploy.state;

import dev.baton.BatonException;
import dev.baton.IoReason;
import dev.baton.PrivateFiles;
import dev.baton.Secrets;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * The full log of one deploy ({@code <state>/logs/deploy-<release>.log}): every event and every
 * line the deploy's commands print, time-stamped, secrets redacted. The console shows less and
 * points here.
 */
public final class DeployLog implements AutoCloseable {
    private final Path file;
    private final BufferedWriter out;

    private DeployLog() {
        this.file = null;
        this.out = null;
    }

    /** A log that keeps nothing: for a plan, which writes nothing. */
    public static DeployLog none() {
        return new DeployLog();
    }

    public DeployLog(Path file) {
        this.file = file;
        try {
            PrivateFiles.ensureDir(file.getParent());
            PrivateFiles.ensureFile(file);
            this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw BatonException.state("cannot write the deploy log " + file + ": " + IoReason.of(e));
        }
    }

    public Path file() {
        return file;
    }

    public synchronized void line(String text) {
        if (out == null) {
            return;
        }
        try {
            out.write(Instant.now() + " " + Secrets.redact(text));
            out.newLine();
            out.flush();
        } catch (IOException e) {
            // the log is best effort; the deploy goes on
        }
    }


    @Override
    public synchronized void close() {
        if (out == null) {
            return;
        }
        try {
            out.close();
        } catch (IOException ignored) {
            // nothing more to write
        }
    }
}
