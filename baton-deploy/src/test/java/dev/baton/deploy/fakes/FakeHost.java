package dev.baton.deploy.fakes;

import dev.baton.deploy.port.Command;
import dev.baton.deploy.port.CommandResult;
import dev.baton.deploy.port.Host;
import dev.baton.deploy.port.Streams;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A {@link Host} that runs nothing: it records each command's argv and answers with what the
 * test scripted (exit 0, no output, unless told otherwise). {@code reach} can be pointed
 * elsewhere, as an SSH tunnel would.
 */
public final class FakeHost implements Host {
    private final String name;
    private final boolean local;
    public final List<Command> commands = new CopyOnWriteArrayList<>();
    public final List<String> uploads = new CopyOnWriteArrayList<>();
    private volatile Function<Command, CommandResult> answer = c -> ok("");
    /** "host:port" as the server sees it → the port this machine reaches it on. */
    public final Map<String, Integer> tunnels = new ConcurrentHashMap<>();

    public FakeHost(String name, boolean local) {
        this.name = name;
        this.local = local;
    }

    public static CommandResult ok(String output) {
        return new CommandResult(0, output, Duration.ZERO, false);
    }

    public static CommandResult exit(int code, String output) {
        return new CommandResult(code, output, Duration.ZERO, false);
    }

    public FakeHost answering(Function<Command, CommandResult> answer) {
        this.answer = answer;
        return this;
    }

    /** The argv of every command run, in order. */
    public List<List<String>> argvs() {
        return commands.stream().map(Command::argv).toList();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public CommandResult run(Command command, Consumer<String> lines) {
        commands.add(command);
        CommandResult r = answer.apply(command);
        r.output().lines().forEach(lines);
        return r;
    }

    /** Records the command, reads {@code in} to its end, and answers as {@link #run} does (nothing on stdout). */
    @Override
    public CommandResult pipe(Command command, InputStream in, OutputStream out) {
        commands.add(command);
        if (in != null) {
            Streams.copy(in, null);
        }
        return answer.apply(command);
    }

    @Override
    public URI reach(String host, int port) {
        Integer tunnel = tunnels.get(host + ":" + port);
        return tunnel == null ? Host.super.reach(host, port) : URI.create("http://127.0.0.1:" + tunnel);
    }

    @Override
    public Path commandFolder(Path configFolder) {
        return local ? configFolder : null;
    }

    @Override
    public void upload(Path local, String remote) {
        uploads.add(local + " -> " + remote);
    }
}
