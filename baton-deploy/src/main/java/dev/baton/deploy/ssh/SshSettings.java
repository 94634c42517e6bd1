package dev.baton.deploy.ssh;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How to reach a server over SSH ({@code ssh:} in baton.yml).
 *
 * @param user the login user
 * @param port the SSH port
 * @param key a private key file, or null for ~/.ssh/id_* (ssh-agent is not used)
 * @param knownHosts the known_hosts file that host keys are verified against
 * @param trustOnFirstUse record an unknown host's key instead of refusing it (a changed key is
 *     always refused)
 * @param connectTimeout how long connecting may take
 */
public record SshSettings(String user, int port, Path key, Path knownHosts, boolean trustOnFirstUse,
                          Duration connectTimeout) {}
