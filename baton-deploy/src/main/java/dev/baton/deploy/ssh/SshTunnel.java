package dev.baton.deploy.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.channel.OpenFailException;
import net.schmizz.sshj.connection.channel.direct.DirectConnection;

/**
 * A local loopback port whose connections are forwarded through SSH to {@code host:port} as seen
 * from the server. Each accepted connection opens its own direct-tcpip channel; when the server
 * cannot connect (the service is not listening yet) only that connection is closed, so a health
 * check polling a service that is still starting keeps its tunnel. (sshj's LocalPortForwarder
 * stops accepting after the first refused channel, which is why this exists.)
 */
final class SshTunnel implements AutoCloseable {
    /** Where each new channel comes from: the host's current connection, reopened if it dropped. */
    interface Connections {
        SSHClient get() throws IOException;

        /** A new connection in place of one that dropped. */
        SSHClient renew() throws IOException;
    }

    private final ServerSocket socket;
    private final Connections connections;
    private final String host;
    private final int port;

    SshTunnel(Connections connections, String host, int port, String threadName) throws IOException {
        this.connections = connections;
        this.host = host;
        this.port = port;
        socket = new ServerSocket();
        socket.bind(new InetSocketAddress("127.0.0.1", 0));
        daemon(this::accept, threadName).start();
    }

    int localPort() {
        return socket.getLocalPort();
    }

    private void accept() {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                client.setTcpNoDelay(true); // small request/answer exchanges: no Nagle delay
                daemon(() -> forward(client), "ssh-tunnel-conn").start();
            } catch (IOException e) {
                // closed with the host, or a transient accept failure: the loop condition decides
            }
        }
    }

    private void forward(Socket client) {
        DirectConnection channel = null;
        try (client) {
            try {
                channel = connections.get().newDirectConnection(host, port);
            } catch (OpenFailException refused) {
                throw refused; // the server answered (nothing listens there): the connection is fine
            } catch (IOException dropped) {
                // a connection that dropped since its last use: nothing was sent, so once more on a new one
                channel = connections.renew().newDirectConnection(host, port);
            }
            DirectConnection ch = channel;
            Thread up = daemon(() -> copy(client, ch), "ssh-tunnel-up");
            up.start();
            // down: the server's answer to the local client; end of stream half-closes the socket
            try (InputStream in = ch.getInputStream()) {
                in.transferTo(client.getOutputStream());
                client.shutdownOutput();
            }
            up.join();
        } catch (IOException e) {
            // the server could not connect (or the connection dropped): this client sees a reset,
            // as it would from a port nobody listens on
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }
    }

    private static void copy(Socket client, DirectConnection ch) {
        try {
            InputStream in = client.getInputStream();
            OutputStream out = ch.getOutputStream();
            byte[] buf = new byte[16 * 1024];
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                out.write(buf, 0, n);
                out.flush();
            }
            out.close(); // EOF to the server's side
        } catch (IOException closed) {
            // the other direction ended and closed the socket, or the channel closed
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
