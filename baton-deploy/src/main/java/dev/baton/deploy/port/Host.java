package dev.baton.deploy.port;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.function.Consumer;

/** Where commands run: this machine ({@link LocalHost}) or, later, a server over SSH. */
public interface Host {
    /** A short name for messages: {@code local}, {@code web-1}. */
    String name();

    /** The address its services are reached at from here, for health checks: {@code 127.0.0.1} for this machine. */
    default String address() {
        return "127.0.0.1";
    }

    /**
     * Runs a command to completion or its deadline, passing each output line to {@code lines}
     * as it appears. Never throws for a non-zero exit: the result says what happened.
     */
    CommandResult run(Command command, Consumer<String> lines);

    default CommandResult run(Command command) {
        return run(command, line -> { });
    }

    /**
     * The URL at which this machine reaches {@code host:port} as seen from the server: the
     * address itself here; over SSH a tunnel when it is a loopback address, so that services
     * bound to 127.0.0.1 on a server can be health-checked without opening their ports.
     */
    default URI reach(String host, int port) {
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port);
    }

    /** {@code url} as this machine reaches it when the server would ask it: the same path, through {@link #reach(String, int)}. */
    default URI reach(URI url) {
        int port = url.getPort() != -1 ? url.getPort() : "https".equals(url.getScheme()) ? 443 : 80;
        URI base = reach(url.getHost().replace("[", "").replace("]", ""), port);
        String rest = url.getRawPath() + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
        return URI.create(url.getScheme() + "://" + base.getRawAuthority() + (rest.isEmpty() ? "/" : rest));
    }

    /**
     * The folder commands start in when they name none: on this machine the config's folder
     * ({@code configFolder}); on a server, where that folder does not exist, null (the login folder).
     */
    default Path commandFolder(Path configFolder) {
        return null;
    }

    /**
     * Runs a command for a stream of bytes too large to hold (an image, a release archive): its
     * stdin read from {@code in} until its end (null: none), its stdout written to {@code out}
     * (null: discarded). The result's output is its stderr. Never throws for a non-zero exit.
     */
    CommandResult pipe(Command command, InputStream in, OutputStream out);

    /** Copies a local file to {@code remote} on this host (configs, static assets). */
    void upload(Path local, String remote);
}
