package dev.baton.deploy.config;

import java.net.InetSocketAddress;

/**
 * A server to deploy to ({@code hosts:} in baton.yml). The name {@code local} means this machine,
 * without SSH. The optional fields override the shared settings for this host only.
 *
 * @param name for messages and logs
 * @param address where SSH and the health checks reach it
 * @param sshPort its SSH port, or null for {@code ssh.port}
 * @param dir its folder for logs and pid files, or null for {@code ssh.dir}
 * @param listen its router's public address, or null for {@code router.listen}
 * @param nginx its nginx settings, or null for {@code router.nginx}
 * @param bind the address its services listen on, or null for {@code ssh.bind}, else {@code address}
 */
public record HostSpec(String name, String address, Integer sshPort, String dir, InetSocketAddress listen,
                       NginxSettings nginx, String bind) {
    public static final HostSpec LOCAL = new HostSpec("local", "127.0.0.1", null, null, null, null, "127.0.0.1");

    public boolean local() {
        return name.equals("local");
    }
}
