package dev.baton.deploy.probe;

import dev.baton.BatonException;
import dev.baton.deploy.port.Command;
import dev.baton.deploy.port.CommandResult;
import dev.baton.deploy.port.Host;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether something already listens on a port of a host, and what, before Baton starts a service
 * there. Asked on the host itself ({@code ss}): a connection from here would go through an SSH
 * tunnel, which accepts whatever is behind it.
 */
public final class PortProbe {
    /** One process of a socket's {@code users:(("nginx",pid=2,fd=6),("nginx",pid=1,fd=6))}: all that share it. */
    private static final Pattern USER = Pattern.compile("\\(\"([^\"]+)\",pid=(\\d+)");

    private PortProbe() {}

    /**
     * Empty when no TCP socket listens on {@code port} on the host (or the host cannot tell: no
     * {@code ss}); else what listens, {@code python3 (pid 4242)} where the host lets us see it.
     */
    public static Optional<String> taken(Host host, int port) {
        CommandResult r = run(host, port);
        if (!r.ok() || r.output().isBlank()) {
            return Optional.empty();
        }
        Matcher m = USER.matcher(r.output());
        return Optional.of(m.find() ? m.group(1) + " (pid " + m.group(2) + ")" : "a process Baton did not start");
    }

    /** The processes listening on {@code port} on the host, as far as it lets us see them (empty: none, or hidden). */
    public static Map<Long, String> listeners(Host host, int port) {
        CommandResult r = run(host, port);
        Map<Long, String> out = new LinkedHashMap<>();
        if (r.ok()) {
            Matcher m = USER.matcher(r.output());
            while (m.find()) {
                out.put(Long.parseLong(m.group(2)), m.group(1));
            }
        }
        return out;
    }

    /** {@code ss} on the host; a host without it (no iproute2) cannot tell, as a server over SSH says with exit 127. */
    private static CommandResult run(Host host, int port) {
        try {
            return host.run(listeners(port));
        } catch (BatonException e) {
            if (e.getCause() instanceof IOException) { // this machine could not start it at all
                return new CommandResult(127, e.getMessage(), Duration.ZERO, false);
            }
            throw e;
        }
    }

    /**
     * Whether {@code program} listens on {@code port} of the host: false when nothing does, or only
     * processes of other names; empty when the host cannot tell (no {@code ss}, or the listener's
     * process is hidden from this user).
     */
    public static Optional<Boolean> heldBy(Host host, int port, String program) {
        CommandResult r = run(host, port);
        if (!r.ok()) {
            return Optional.empty();
        }
        if (r.output().isBlank()) {
            return Optional.of(false);
        }
        Matcher m = USER.matcher(r.output());
        boolean named = false;
        while (m.find()) {
            named = true;
            if (m.group(1).equals(program)) {
                return Optional.of(true);
            }
        }
        return named ? Optional.of(false) : Optional.empty();
    }

    /** The listening TCP sockets on a port, with their processes where the user may see them. */
    static Command listeners(int port) {
        return new Command(List.of("ss", "-H", "-ltnp", "sport = :" + port), Map.of(), null, Duration.ofSeconds(10));
    }
}
