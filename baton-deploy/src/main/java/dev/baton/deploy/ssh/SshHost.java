package dev.baton.deploy.ssh;

import dev.baton.BatonException;
import dev.baton.ExitCode;
import dev.baton.deploy.config.SshSettings;
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
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import javax.net.SocketFactory;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.common.SecurityUtils;
import net.schmizz.sshj.connection.ConnectionException;
import net.schmizz.sshj.connection.channel.OpenFailException;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.sftp.FileAttributes;
import net.schmizz.sshj.sftp.OpenMode;
import net.schmizz.sshj.sftp.RemoteFile;
import net.schmizz.sshj.sftp.SFTPClient;
import net.schmizz.sshj.transport.TransportException;
import net.schmizz.sshj.transport.verification.OpenSSHKnownHosts;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.userauth.method.AuthMethod;
import net.schmizz.sshj.xfer.FileSystemFile;

/**
 * A server reached over SSH (sshj): one connection, opened on first use and reused by every
 * command after it. Host keys are verified against a known_hosts file; an unknown key is
 * refused unless trust-on-first-use is on, and a changed key is always refused. A command's argv
 * becomes one remote command line with every argument single-quoted, so nothing in it is
 * interpreted by the remote shell.
 */
public final class SshHost implements Host, AutoCloseable {
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Duration REMOTE_KILL_GRACE = Duration.ofSeconds(5);
    private final String name;
    private final String address;
    private final SshSettings settings;
    private final AtomicInteger connections = new AtomicInteger();
    private SSHClient client;
    private final Map<String, SshTunnel> tunnels = new HashMap<>();

    /**
     * Sockets without Nagle's delay: commands and tunnelled HTTP are small request/answer
     * exchanges, which Nagle plus delayed ACKs would hold up by tens of milliseconds each.
     */
    private static final SocketFactory NO_DELAY = new SocketFactory() {
        @Override
        public Socket createSocket() throws IOException {
            Socket s = new Socket();
            s.setTcpNoDelay(true);
            return s;
        }

        // sshj calls createSocket() and connects it; the abstract variants below connect at once
        private Socket connected(InetSocketAddress local, InetSocketAddress remote) throws IOException {
            Socket s = createSocket();
            if (local != null) {
                s.bind(local);
            }
            s.connect(remote);
            return s;
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return connected(null, new InetSocketAddress(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return connected(new InetSocketAddress(localHost, localPort), new InetSocketAddress(host, port));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return connected(null, new InetSocketAddress(host, port));
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
                throws IOException {
            return connected(new InetSocketAddress(localAddress, localPort), new InetSocketAddress(address, port));
        }
    };

    public SshHost(String name, String address, SshSettings settings) {
        this.name = name;
        this.address = address;
        this.settings = settings;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String address() {
        return address;
    }

    /** How many SSH connections this host has opened (one, unless the connection dropped). */
    public int connections() {
        return connections.get();
    }

    @Override
    public CommandResult run(Command command, Consumer<String> lines) {
        StringBuilder output = new StringBuilder();
        return exec(command, cmd -> List.of(pump(cmd.getInputStream(), output, lines), pump(cmd.getErrorStream(), output, lines)),
                () -> {
                    synchronized (output) {
                        return output.toString();
                    }
                });
    }

    /** Streams over the one connection: stdin from {@code in} with an EOF at its end, stdout to {@code out}. */
    @Override
    public CommandResult pipe(Command command, InputStream in, OutputStream out) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        return exec(command, cmd -> {
            List<Thread> threads = List.of(Streams.copyInBackground(cmd.getErrorStream(), err, "ssh-stderr-" + name),
                    Streams.copyInBackground(in == null ? InputStream.nullInputStream() : in, cmd.getOutputStream(), "ssh-stdin-" + name));
            Streams.copy(cmd.getInputStream(), out);
            return threads;
        }, () -> err.toString(StandardCharsets.UTF_8));
    }

    /** What a command does with its streams: starts the threads that read or write them (joined at the end). */
    private interface Streaming {
        List<Thread> start(Session.Command cmd) throws IOException;
    }

    /** Runs {@code command} in a session of the connection, its streams handled by {@code io}; the output is {@code output}'s. */
    private CommandResult exec(Command command, Streaming io, Supplier<String> output) {
        String remote = remoteCommand(command);
        long start = System.nanoTime();
        try {
            Session session;
            try {
                session = connection().startSession();
            } catch (OpenFailException refused) {
                throw refused; // the server answered: the connection is fine
            } catch (IOException e) {
                // the connection dropped since its last use (a restarted sshd, a network blip) and
                // sshj has not noticed yet: nothing ran, so once more on a new connection
                forget();
                session = connection().startSession();
            }
            try {
                Session.Command cmd = session.exec(remote);
                List<Thread> threads = io.start(cmd);
                // The remote `timeout` enforces the deadline there (a process without a terminal
                // outlives its closed channel); the local wait is a backstop for a stuck connection.
                ConnectionException ended = null;
                try {
                    cmd.join(command.timeout().toMillis() + REMOTE_KILL_GRACE.toMillis() + 5000, TimeUnit.MILLISECONDS);
                } catch (ConnectionException e) {
                    ended = e; // the backstop, or the connection dropped
                }
                for (Thread t : threads) {
                    t.join(2000);
                }
                Integer status = cmd.getExitStatus();
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                if (status == null && took.compareTo(command.timeout()) < 0) {
                    // no exit status before the deadline: the connection went, not the command's time
                    throw new BatonException(ExitCode.FAILED, name + ": the SSH connection was lost while `" + command.display()
                            + "` ran (" + (ended == null ? "no exit status" : ended.getMessage()) + "); it may still run on the"
                            + " server; the next command connects again");
                }
                // 124: timeout(1) stopped it with TERM; 137: with KILL after the grace
                boolean timedOut = status == null || (status == 124 || status == 137)
                        && took.compareTo(command.timeout()) >= 0;
                return new CommandResult(timedOut || status == null ? -1 : status, output.get(), took, timedOut);
            } finally {
                if (session.isOpen()) {
                    session.close();
                }
            }
        } catch (IOException e) {
            throw new BatonException(ExitCode.FAILED, name + ": running `" + command.display() + "` over SSH failed: "
                    + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BatonException(ExitCode.FAILED, name + ": interrupted while running `" + command.display() + "`", e);
        }
    }

    @Override
    public synchronized URI reach(String host, int port) {
        if (!host.equals("localhost") && !host.startsWith("127.") && !host.equals("::1")) {
            return Host.super.reach(host, port);
        }
        String key = host + ":" + port;
        SshTunnel t = tunnels.get(key);
        if (t == null) {
            try {
                t = new SshTunnel(new SshTunnel.Connections() {
                    @Override
                    public SSHClient get() throws IOException {
                        return connection();
                    }

                    @Override
                    public SSHClient renew() throws IOException {
                        forget();
                        return connection();
                    }
                }, host, port, "ssh-tunnel-" + name + "-" + port);
                tunnels.put(key, t);
            } catch (IOException e) {
                throw new BatonException(ExitCode.FAILED, name + ": cannot open an SSH tunnel to " + key + ": " + e.getMessage(), e);
            }
        }
        return URI.create("http://127.0.0.1:" + t.localPort());
    }

    @Override
    public void upload(Path local, String remote) {
        try {
            SSHClient c = connection();
            try (SFTPClient sftp = c.newSFTPClient()) {
                int slash = remote.lastIndexOf('/');
                if (slash > 0) {
                    sftp.mkdirs(remote.substring(0, slash));
                }
                // created with the local file's mode (an env file: 0600), not the server's umask and a chmod after
                int mode = PosixFilePermissionsMode.of(local);
                try (RemoteFile f = sftp.open(remote, EnumSet.of(OpenMode.WRITE, OpenMode.CREAT, OpenMode.TRUNC),
                        new FileAttributes.Builder().withPermissions(mode).build());
                     OutputStream out = f.new RemoteFileOutputStream(0, 16)) {
                    Files.copy(local, out);
                }
                sftp.chmod(remote, mode); // a file that was there keeps its old mode through open
            } catch (ConnectionException noSftp) {
                // a server without the sftp subsystem: scp, after making the folder
                int slash = remote.lastIndexOf('/');
                if (slash > 0) {
                    CommandResult mkdir = run(Command.of("mkdir", "-p", "--", remote.substring(0, slash)));
                    if (!mkdir.ok()) {
                        throw new IOException("mkdir -p " + remote.substring(0, slash) + ": " + mkdir.tail(3));
                    }
                }
                c.newSCPFileTransfer().upload(new FileSystemFile(local.toFile()), remote);
            }
        } catch (IOException e) {
            throw new BatonException(ExitCode.FAILED, name + ": uploading " + local + " to " + remote + " failed: "
                    + e.getMessage(), e);
        }
    }

    /**
     * The argv as one remote command line:
     * {@code cd 'dir' && exec timeout -k 5 <secs> env 'K=V' 'prog' 'arg'...}.
     */
    static String remoteCommand(Command c) {
        StringBuilder s = new StringBuilder();
        if (c.workDir() != null) {
            s.append("cd ").append(quote(c.workDir().toString())).append(" && ");
        }
        long ms = Math.max(1, c.timeout().toMillis());
        s.append("exec timeout -k ").append(REMOTE_KILL_GRACE.toSeconds()).append(' ')
                .append(ms / 1000).append('.').append(String.format("%03d", ms % 1000));
        s.append(" env");
        if (!c.env().isEmpty()) {
            for (Map.Entry<String, String> e : c.env().entrySet()) {
                if (!ENV_NAME.matcher(e.getKey()).matches()) {
                    throw BatonException.usage("environment variable name \"" + e.getKey() + "\" is not valid");
                }
                s.append(' ').append(quote(e.getKey() + "=" + e.getValue()));
            }
        }
        for (String a : c.argv()) {
            s.append(' ').append(quote(a));
        }
        return s.toString();
    }

    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /** Drops the connection (not the tunnels, which open their channels through {@link #connection} again). */
    private synchronized void forget() {
        if (client != null) {
            try {
                client.disconnect();
            } catch (IOException ignored) {
                // it is gone either way
            }
            client = null;
        }
    }

    private synchronized SSHClient connection() throws IOException {
        if (client != null && client.isConnected() && client.isAuthenticated()) {
            return client;
        }
        SSHClient c = new SSHClient();
        c.setSocketFactory(NO_DELAY);
        c.setConnectTimeout((int) settings.connectTimeout().toMillis());
        KnownHosts verifier = new KnownHosts(settings.knownHosts().toFile(), settings.trustOnFirstUse());
        c.addHostKeyVerifier(verifier);
        try {
            c.connect(address, settings.port());
        } catch (TransportException e) {
            c.close();
            throw hostKeyError(e, verifier);
        } catch (IOException e) {
            c.close();
            throw new BatonException(ExitCode.FAILED, name + ": cannot connect to " + address + ":" + settings.port()
                    + " over SSH: " + e.getMessage(), e);
        }
        try {
            if (settings.key() != null) {
                c.authPublickey(settings.user(), c.loadKeys(settings.key().toString()));
            } else if (!agentAuth(c)) {
                c.authPublickey(settings.user()); // ~/.ssh/id_* keys
            }
        } catch (UserAuthException e) {
            c.close();
            throw new BatonException(ExitCode.FAILED, name + ": " + settings.user() + "@" + address + ":" + settings.port()
                    + " refused the key" + (settings.key() == null ? "s of ssh-agent and ~/.ssh" : " " + settings.key())
                    + "; add its public half to the server's authorized_keys", e);
        }
        connections.incrementAndGet();
        client = c;
        return c;
    }

    /** Tries the agent's keys; false when there is no agent, it holds no key, or the server took none. */
    private boolean agentAuth(SSHClient c) throws IOException {
        if (settings.agentSocket() == null || !Files.exists(settings.agentSocket())) {
            return false;
        }
        List<AuthMethod> methods = new SshAgent(settings.agentSocket()).methods();
        if (methods.isEmpty()) {
            return false;
        }
        try {
            c.auth(settings.user(), methods);
            return true;
        } catch (UserAuthException e) {
            return false;
        }
    }

    private BatonException hostKeyError(TransportException e, KnownHosts verifier) {
        String known = settings.knownHosts().toString();
        String msg = String.valueOf(e.getMessage());
        if (verifier.changed != null) {
            return new BatonException(ExitCode.FAILED, name + ": the host key of " + address + ":" + settings.port()
                    + " has CHANGED from the one in " + known + " (now " + verifier.changed + "); refusing to connect."
                    + " If the server was rebuilt,"
                    + " remove its old line from " + known + " and verify the new key", e);
        }
        if (verifier.unknown) {
            return new BatonException(ExitCode.FAILED, name + ": the host key of " + address + ":" + settings.port()
                    + " is not in " + known + "; refusing to connect. Verify the server's key, then add it with"
                    + " ssh-keyscan -p " + settings.port() + " " + address + " >> " + known
                    + " (or set ssh.trust_on_first_use: true to record it on first contact)", e);
        }
        return new BatonException(ExitCode.FAILED, name + ": SSH to " + address + ":" + settings.port() + " failed: " + msg, e);
    }

    private static Thread pump(InputStream in, StringBuilder output, Consumer<String> lines) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    synchronized (output) {
                        output.append(line).append('\n');
                    }
                    lines.accept(line);
                }
            } catch (IOException e) {
                // the channel closed; what was read is kept
            }
        }, "ssh-output");
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Override
    public synchronized void close() {
        tunnels.values().forEach(SshTunnel::close);
        tunnels.clear();
        forget();
    }

    /** known_hosts verification; with trust-on-first-use an unknown host's key is appended. */
    private static final class KnownHosts extends OpenSSHKnownHosts {
        private final boolean trustOnFirstUse;
        volatile String changed;
        volatile boolean unknown;

        KnownHosts(File file, boolean trustOnFirstUse) throws IOException {
            super(ensure(file));
            this.trustOnFirstUse = trustOnFirstUse;
        }

        private static File ensure(File file) throws IOException {
            if (!file.exists()) {
                Files.createDirectories(file.toPath().toAbsolutePath().getParent());
                Files.createFile(file.toPath());
            }
            return file;
        }

        @Override
        protected boolean hostKeyUnverifiableAction(String hostname, PublicKey key) {
            if (!trustOnFirstUse) {
                unknown = true;
                return false;
            }
            try {
                write(new HostEntry(null, hostname, KeyType.fromKey(key), key));
                return true;
            } catch (IOException e) {
                return false;
            }
        }

        @Override
        protected boolean hostKeyChangedAction(String hostname, PublicKey key) {
            changed = KeyType.fromKey(key) + " " + SecurityUtils.getFingerprint(key);
            return false;
        }
    }
}
