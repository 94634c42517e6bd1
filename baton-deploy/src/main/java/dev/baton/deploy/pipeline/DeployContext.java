package dev.baton.deploy;

import dev.baton.deploy.config.DeployConfig;
import java.util.List;

/**
 * What the steps of one deploy share: the configuration and ports, fixed at the start, and what
 * the steps decide on the way (the colours, the schema before and after, whether traffic moved).
 */
public final class DeployContext {
    private final DeployConfig config;
    private final java.util.List<Server> servers;
    private final Migrator migrator;
    private final DeployLog log;
    private final String confirm;
    private final String release;
    private final String commit;
    private final DeployState before;
    private String active;
    private String target;
    private List<String> revisionBefore;
    private String migrationDetail;
    private boolean trafficMoved;

    /**
     * @param servers the servers deployed to, at least one
     * @param migrator null when the app has no migrations
     * @param confirm the token given with --confirm, or null
     * @param before the state the last deploy left
     */
    public DeployContext(DeployConfig config, java.util.List<Server> servers, Migrator migrator,
                         DeployLog log, String confirm, String release, String commit, DeployState before) {
        this.config = config;
        this.servers = java.util.List.copyOf(servers);
        this.migrator = migrator;
        this.log = log;
        this.confirm = confirm;
        this.release = release;
        this.commit = commit;
        this.before = before;
    }

    public DeployConfig config() {
        return config;
    }

    /** The servers, in the order of hosts: in baton.yml. */
    public java.util.List<Server> servers() {
        return servers;
    }

    /** The first server: where accessories are checked and started. */
    public Server first() {
        return servers.get(0);
    }

    /** Where commands run by default: the first server's host. */
    public Host host() {
        return first().host();
    }

    public Migrator migrator() {
        return migrator;
    }

    public DeployLog log() {
        return log;
    }

    public String confirm() {
        return confirm;
    }

    public String release() {
        return release;
    }

    public String commit() {
        return commit;
    }

    public DeployState before() {
        return before;
    }

    /** The colour serving before this deploy; null on a first deploy. */
    public String active() {
        return active;
    }

    public String target() {
        return target;
    }

    public void colours(String active, String target) {
        this.active = active;
        this.target = target;
    }

    public List<String> revisionBefore() {
        return revisionBefore;
    }

    public void revisionBefore(List<String> r) {
        this.revisionBefore = r;
    }

    public String migrationDetail() {
        return migrationDetail;
    }

    public void migrationDetail(String d) {
        this.migrationDetail = d;
    }

    /** Whether the router was switched to the target (even if it was later switched back). */
    public boolean trafficMoved() {
        return trafficMoved;
    }

    public void trafficMoved(boolean moved) {
        this.trafficMoved = moved;
    }

}
