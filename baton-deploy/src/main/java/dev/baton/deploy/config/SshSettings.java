package dev.baton.deploy.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How to reach a server over SSH ({@code ssh:} in baton.yml).
 *
 * @param user the login user
 * @param port the SSH port
 * @param key a private key file; null for the agent's keys, then ~/.ssh/id_*
 * @param knownHosts the known_hosts file that host keys are verified against
 * @param trustOnFirstUse record an unknown host's key instead of refusing it (a changed key is
 *     always refused)
 * @param connectTimeout how long connecting may take
 * @param agentSocket ssh-agent's socket ({@code SSH_AUTH_SOCK}), or null
 */
public record SshSettings(String user, int port, Path key, Path knownHosts, boolean trustOnFirstUse,
                          Duration connectTimeout, Path agentSocket) {
    public SshSettings withPort(int p) {
        return new SshSettings(user, p, key, knownHosts, trustOnFirstUse, connectTimeout, agentSocket);
    }
}
