package dev.baton.deploy.pipeline;

import dev.baton.deploy.config.DeployConfig;
import dev.baton.deploy.config.ServiceSpec;
import dev.baton.deploy.port.Host;
import dev.baton.deploy.port.Migrator;
import dev.baton.deploy.port.ServiceRuntime;
import dev.baton.deploy.state.ColourRun;
import dev.baton.deploy.state.DeployLog;
import dev.baton.deploy.state.DeployState;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * What the steps of one deploy share: the configuration and ports, fixed at the start, and what
 * the steps decide on the way (the colours, the schema before, whether traffic moved).
 */
public final class DeployContext {
    private final DeployConfig config;
    private final List<Server> servers;
    private final Host here;
    private final Optional<Migrator> migrator;
    private final DeployLog log;
    private final String confirm;
    private final String release;
    private final String commit;
    private final DeployState before;
    private String active;
    private String target;
    private Optional<List<String>> revisionBefore = Optional.empty();
    private volatile boolean startsTarget;
    private Set<String> newServers = Set.of();
    private volatile boolean targetAsRecorded;
    private volatile boolean targetRaised;
    private boolean trafficMoved;
    private Runnable onChange = () -> { };
    private boolean planSql;
    private Optional<ServiceRuntime> shipFrom = Optional.empty();
    private BiConsumer<String, String> progress = (step, text) -> { };

    /**
     * @param servers the servers deployed to, at least one
     * @param here this machine: where gates, build and release run
     * @param migrator empty when the app has no migrations
     * @param confirm the token given with --confirm, or null
     * @param commit the git commit of the config's folder, or null outside a git checkout
     * @param before the state the last deploy left
     */
    public DeployContext(DeployConfig config, List<Server> servers, Host here, Optional<Migrator> migrator,
                         DeployLog log, String confirm, String release, String commit, DeployState before) {
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("a deploy needs at least one server");
        }
        this.config = config;
        this.servers = List.copyOf(servers);
        this.here = here;
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
    public List<Server> servers() {
        return servers;
    }

    /** The first server: where accessories are checked and started unless they name a host. */
    public Server first() {
        return servers.get(0);
    }

    /** This machine, where Baton runs. */
    public Host here() {
        return here;
    }

    public Optional<Migrator> migrator() {
        return migrator;
    }

    public DeployLog log() {
        return log;
    }

    /** The token given with --confirm, or null. */
    public String confirm() {
        return confirm;
    }

    public String release() {
        return release;
    }

    /** The git commit deployed, or null outside a git checkout. */
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

    /** The applied heads before Migrate ran; empty until it has, or when the migrator cannot say. */
    public Optional<List<String>> revisionBefore() {
        return revisionBefore;
    }

    public void revisionBefore(Optional<List<String>> r) {
        this.revisionBefore = r;
        onChange.run(); // the journal must know it before the upgrade starts
    }

    /**
     * Said by a rollback: its target is the colour before, checked, warmed up and validated as
     * state.json recorded it (its version's own paths), not as baton.yml describes a new version today.
     */
    public void targetAsRecorded() {
        this.targetAsRecorded = true;
    }

    /** The target's services to check and warm up: baton.yml's, or, for a rollback, the colour's as it was started. */
    public List<ServiceSpec> targetServices() {
        return targetAsRecorded ? before.colour(target).map(r -> r.asStarted(config.services().values()))
                .orElse(List.copyOf(config.services().values())) : List.copyOf(config.services().values());
    }

    /** The public paths to validate the target on: baton.yml's, or, for a rollback, those its version was deployed with. */
    public List<String> targetValidate() {
        return targetAsRecorded ? before.colour(target).map(ColourRun::validate).filter(v -> v != null).orElse(config.validate())
                : config.validate();
    }

    /** Servers just added to baton.yml's hosts: they serve nothing yet, and get the target with this deploy. */
    public Set<String> newServers() {
        return newServers;
    }

    public void newServers(Set<String> names) {
        this.newServers = Set.copyOf(names);
    }

    /** The servers that served the old colour: all but the new ones. */
    public List<Server> established() {
        return servers().stream().filter(s -> !newServers.contains(s.name())).toList();
    }

    /** Whether this run starts services of the target that did not run (a rollback's target may run already). */
    public boolean startsTarget() {
        return startsTarget;
    }

    /** Said before the first service of the target starts, so that a recovery knows it is this run's to stop. */
    public void startsTarget(boolean starts) {
        this.startsTarget = starts;
        onChange.run();
    }

    /** Whether the target's services were raised from {@code start_priority: low} to normal CPU priority. */
    public boolean targetRaised() {
        return targetRaised;
    }

    /** Marks the target raised; true if it was not yet (the caller raises it). */
    public synchronized boolean raiseTarget() {
        boolean first = !targetRaised;
        targetRaised = true;
        return first;
    }

    /** Told when what the journal records changes during a step (the schema before the migration). */
    public void onChange(Runnable r) {
        this.onChange = r;
    }

    /** Tells the console how far a long step has got: {@code step} is its name. */
    public void progress(String step, String text) {
        progress.accept(step, text);
    }

    public void onProgress(BiConsumer<String, String> sink) {
        this.progress = sink;
    }

    /** This machine's container engine, which images are shipped from ({@code runtime.ship: ssh}); empty otherwise. */
    public Optional<ServiceRuntime> shipFrom() {
        return shipFrom;
    }

    public void shipFrom(Optional<ServiceRuntime> source) {
        this.shipFrom = source;
    }

    /** Whether a plan ({@code --plan --sql}) shows the migrations' SQL. */
    public boolean planSql() {
        return planSql;
    }

    public void planSql(boolean show) {
        this.planSql = show;
    }

    /** Whether the router was switched to the target (even if it was later switched back). */
    public boolean trafficMoved() {
        return trafficMoved;
    }

    public void trafficMoved(boolean moved) {
        this.trafficMoved = moved;
    }
}
