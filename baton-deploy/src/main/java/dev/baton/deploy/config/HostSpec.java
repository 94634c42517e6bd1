package dev.baton.deploy.config;

/**
 * A server to deploy to ({@code hosts:} in baton.yml). The name {@code local} means this machine,
 * without SSH.
 *
 * @param name for messages and logs
 * @param address where SSH and the health checks reach it
 */
public record HostSpec(String name, String address) {
    public static final HostSpec LOCAL = new HostSpec("local", "127.0.0.1");

    public boolean local() {
        return name.equals("local");
    }
}
