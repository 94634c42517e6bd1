package dev.baton.cli;

import dev.baton.deploy.ssh.Sshd;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Servers for a multi-host deploy on this machine: each an sshd of its own on its own loopback
 * address (127.0.0.2, 127.0.0.3, ...) with its own nginx and folder, all taking one deploy key.
 * Services bind to their host's address (BATON_HOST), so the servers never share a port.
 */
final class LoopbackServers implements AutoCloseable {
    final String[] addresses;
    final Sshd[] sshd;
    final Nginx[] nginx;
    final Path knownHosts;
    private final Path work;
    private final int listen;

    /** @param env what each server's SSH sessions get in their environment (its own image store, say) */
    LoopbackServers(Path work, int count, int listen, IntFunction<Map<String, String>> env) throws Exception {
        this.work = work;
        this.listen = listen;
        addresses = new String[count];
        sshd = new Sshd[count];
        nginx = new Nginx[count];
        knownHosts = work.resolve("known_hosts");
        try {
            for (int i = 0; i < count; i++) {
                addresses[i] = "127.0.0." + (i + 2);
                sshd[i] = new Sshd(Files.createDirectories(work.resolve("sshd-" + i)), addresses[i], true, env.apply(i));
                nginx[i] = new Nginx(work.resolve("nginx-" + i));
                Files.writeString(knownHosts, Files.readString(sshd[i].knownHosts), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                if (i > 0) { // one deploy key for all
                    Files.writeString(sshd[i].dir.resolve("authorized_keys"), Files.readString(sshd[0].dir.resolve("user_key.pub")),
                            StandardOpenOption.APPEND);
                }
            }
        } catch (Exception | AssertionError e) {
            close();
            throw e;
        }
    }

    /** The folder of server {@code i}, where its logs and pid files go. */
    Path dir(int i) {
        return work.resolve("server-" + i);
    }

    /** baton.yml's hosts: and ssh: sections for these servers. */
    String yaml() {
        StringBuilder hosts = new StringBuilder("\nhosts:\n");
        for (int i = 0; i < sshd.length; i++) {
            hosts.append("  - {name: web-").append(i + 1).append(", address: ").append(addresses[i]).append(", port: ")
                    .append(sshd[i].port).append(", dir: ").append(dir(i)).append(", listen: \"")
                    .append(addresses[i]).append(':').append(listen).append("\", nginx: ").append(nginx[i].nginxYaml()).append("}\n");
        }
        return hosts + "ssh:\n  user: " + sshd[0].user + "\n  key: " + sshd[0].userKey + "\n  known_hosts: " + knownHosts + "\n";
    }

    /** Server {@code i}'s router. */
    URI router(int i) {
        return URI.create("http://" + addresses[i] + ":" + listen);
    }

    @Override
    public void close() throws Exception {
        for (int i = 0; i < sshd.length; i++) {
            if (nginx[i] != null) {
                nginx[i].close();
            }
            if (sshd[i] != null) {
                sshd[i].close();
            }
        }
    }
}
