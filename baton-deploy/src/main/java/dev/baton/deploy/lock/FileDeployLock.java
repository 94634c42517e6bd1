package dev.baton.deploy.lock;

import dev.baton.BatonException;
import dev.baton.IoReason;
import dev.baton.PrivateFiles;
import dev.baton.deploy.config.StatePaths;
import dev.baton.deploy.port.DeployLock;
import dev.baton.wait.Probe;
import dev.baton.wait.Wait;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The deploy lock as an OS lock on {@code <state>/deploy.lock}, for apps without a database.
 * The kernel drops it when the process exits; the file's text names the holder.
 */
public final class FileDeployLock implements DeployLock {
    private static final Duration POLL = Duration.ofMillis(200);
    private final Path file;
    private FileChannel channel;
    private FileLock lock;

    public FileDeployLock(Path stateDir) {
        this.file = new StatePaths(stateDir).deployLock();
    }

    @Override
    public Optional<String> holder() {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock probe = ch.tryLock();
            if (probe != null) {
                probe.release();
                return Optional.empty();
            }
            return Optional.of(Files.readString(file, StandardCharsets.UTF_8).strip());
        } catch (IOException e) {
            throw BatonException.state("cannot read the deploy lock " + file + ": " + IoReason.of(e));
        }
    }

    @Override
    public void acquire(String who, Duration wait) {
        try {
            PrivateFiles.ensureDir(file.getParent());
            PrivateFiles.ensureFile(file);
            channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            try {
                Wait.of("the deploy lock", wait, POLL).until(() -> (lock = channel.tryLock()) != null ? Probe.ok()
                        : Probe.notYet("held"));
            } catch (Wait.TimedOut e) {
                String holder = Files.readString(file, StandardCharsets.UTF_8).strip();
                close();
                throw BatonException.state("another deploy is running: " + holder
                        + "; wait for it to finish (baton status shows it), or raise deadlines.lock");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((who + ", since " + Instant.now() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(false);
        } catch (IOException e) {
            close();
            throw BatonException.state("cannot take the deploy lock " + file + ": " + IoReason.of(e));
        }
    }

    @Override
    public void check() {
        if (lock == null || !lock.isValid()) {
            throw new Lost("the deploy lock " + file + " is no longer held (its file was closed)", false);
        }
    }

    @Override
    public void close() {
        try {
            if (lock != null) {
                channel.truncate(0);
                lock.release();
            }
            if (channel != null) {
                channel.close();
            }
        } catch (IOException ignored) {
            // the kernel releases the lock with the file
        }
        lock = null;
        channel = null;
    }
}
