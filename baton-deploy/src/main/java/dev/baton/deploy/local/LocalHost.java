package dev.baton.deploy.local;

import dev.baton.BatonException;
import dev.baton.ExitCode;
import dev.baton.IoReason;
import dev.baton.PrivateFiles;
import dev.baton.deploy.port.Command;
import dev.baton.deploy.port.CommandResult;
import dev.baton.deploy.port.Host;
import dev.baton.deploy.port.Streams;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** Runs commands on this machine with ProcessBuilder: no shell, a deadline, output streamed. */
public final class LocalHost implements Host {
    @Override
    public Path commandFolder(Path configFolder) {
        return configFolder;
    }

    @Override
    public String name() {
        return "local";
    }

    @Override
    public CommandResult run(Command command, Consumer<String> lines) {
        ProcessBuilder pb = new ProcessBuilder(command.argv()).redirectErrorStream(true);
        pb.environment().putAll(command.env());
        if (command.workDir() != null) {
            pb.directory(command.workDir().toFile());
        }
        long start = System.nanoTime();
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new BatonException(ExitCode.FAILED, "cannot start `" + command.display() + "`: " + e.getMessage()
                    + (command.workDir() == null ? "" : " (in " + command.workDir() + ")"), e);
        }
        StringBuilder output = new StringBuilder();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    synchronized (output) {
                        output.append(line).append('\n');
                    }
                    lines.accept(line);
                }
            } catch (IOException e) {
                // the process was killed; what was read is kept
            }
        }, "output-" + p.pid());
        reader.setDaemon(true);
        reader.start();
        boolean finished;
        try {
            finished = p.waitFor(command.timeout().toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
            reader.join(2000);
        } catch (InterruptedException e) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new BatonException(ExitCode.FAILED, "interrupted while running `" + command.display() + "`", e);
        }
        synchronized (output) {
            return new CommandResult(finished ? p.exitValue() : -1, output.toString(),
                    Duration.ofNanos(System.nanoTime() - start), !finished);
        }
    }

    @Override
    public CommandResult pipe(Command command, InputStream in, OutputStream out) {
        ProcessBuilder pb = new ProcessBuilder(command.argv());
        pb.environment().putAll(command.env());
        if (command.workDir() != null) {
            pb.directory(command.workDir().toFile());
        }
        if (in == null) {
            pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        }
        long start = System.nanoTime();
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new BatonException(ExitCode.FAILED, "cannot start `" + command.display() + "`: " + e.getMessage(), e);
        }
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread errors = Streams.copyInBackground(p.getErrorStream(), err, "stderr-" + p.pid());
        Thread feeder = in == null ? null : Streams.copyInBackground(in, p.getOutputStream(), "stdin-" + p.pid());
        try {
            Streams.copy(p.getInputStream(), out);
            boolean finished = p.waitFor(command.timeout().toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
            if (feeder != null) {
                feeder.join(2000);
            }
            errors.join(2000);
            return new CommandResult(finished ? p.exitValue() : -1, err.toString(StandardCharsets.UTF_8),
                    Duration.ofNanos(System.nanoTime() - start), !finished);
        } catch (InterruptedException e) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new BatonException(ExitCode.FAILED, "interrupted while running `" + command.display() + "`", e);
        }
    }

    @Override
    public void upload(Path local, String remote) {
        try {
            Path to = Path.of(remote);
            if (to.getParent() != null) {
                PrivateFiles.ensureDir(to.getParent()); // folders it makes are owner-only, as on a server
            }
            Files.copy(local, to, StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.COPY_ATTRIBUTES); // an owner-only file stays owner-only
        } catch (IOException e) {
            throw new BatonException(ExitCode.FAILED, "copying " + local + " to " + remote + " failed: " + IoReason.of(e), e);
        }
    }
}
