package dev.baton.deploy.probe;

import dev.baton.BatonException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Optional;

/** Whether something accepts TCP connections: empty when it does, else why not. */
public final class TcpProbe {
    private TcpProbe() {}

    public static Optional<String> connect(String host, int port, Duration timeout) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(BatonException.describe(e));
        }
    }
}
