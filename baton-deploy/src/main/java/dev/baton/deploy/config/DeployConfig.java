package dev.baton.deploy.config;

import dev.baton.proxy.RouterSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * baton.yml, read and checked: everything a deploy needs, as values. {@link DeployConfigReader}
 * builds it; nothing here reads files or the environment.
 *
 * @param file the config file
 * @param dir the folder relative paths are resolved against (the config file's)
 * @param app the application's name (lock key, process names, audit records)
 * @param confirmToken what {@code --confirm} must equal, or null when no confirmation is asked
 * @param stateDir where state, logs, pids and the audit log live
 * @param colours the two colours, in order (the first is the target of a first deploy)
 * @param services the application's services, in file order
 * @param accessories shared infrastructure, checked and started if down
 * @param migrations the {@code migrations:} section
 * @param router the router's settings (listen address, routes, first colour; the admin endpoint for builtin)
 * @param nginx how to drive nginx when {@code router.type} is nginx, else null
 * @param deadlines how long each wait may take
 * @param gates checks that must pass before anything starts
 * @param build commands that build the release
 * @param cleanup commands run after the old colour is stopped
 * @param validate paths checked through the router after the switch
 * @param keepFailedTarget leave a target that failed running, for inspection
 * @param lockUrl the database that holds the deploy lock, or null for a file lock in the state folder
 * @param hosts the servers ({@link HostSpec#LOCAL} when none is listed)
 * @param ssh how to reach them
 * @param remoteDir the folder on a server for its logs and pid files
 * @param docker the docker runtime's settings, or null for the process runtime
 * @param release the git tag a deploy makes, or null for none
 * @param notices where notices go when a deploy or rollback ends
 * @param routerStartedByBaton whether Baton starts the built-in router when none answers
 *     ({@code router.start: baton}, the default), or leaves that to a supervisor such as systemd ({@code external})
 * @param releases the process runtime's release upload ({@code runtime.release}), or null when the services run
 *     from the config's folder
 * @param version the version this deploy ships ({@code ${baton.version}}), or null when the command reading the
 *     config named none (status, history)
 */
public record DeployConfig(Path file, Path dir, String app, String confirmToken, Path stateDir, List<String> colours,
                           Map<String, ServiceSpec> services, Map<String, AccessorySpec> accessories,
                           MigrationsConfig migrations, RouterSettings router, NginxSettings nginx, Deadlines deadlines, List<Hook> gates,
                           List<Hook> build, List<Hook> cleanup, List<String> validate, boolean keepFailedTarget,
                           String lockUrl, List<HostSpec> hosts, SshSettings ssh, String remoteDir,
                           DockerSettings docker, ReleaseSettings release, List<NotifySpec> notices,
                           boolean routerStartedByBaton, ReleaseUpload releases, String version) {

    public DeployConfig {
        colours = List.copyOf(colours);
        services = Collections.unmodifiableMap(new LinkedHashMap<>(services)); // file order
        accessories = Collections.unmodifiableMap(new LinkedHashMap<>(accessories)); // file order
        gates = List.copyOf(gates);
        build = List.copyOf(build);
        cleanup = List.copyOf(cleanup);
        validate = List.copyOf(validate);
        hosts = List.copyOf(hosts);
        notices = List.copyOf(notices);
    }

    /** The colour that is not {@code colour}. */
    public String other(String colour) {
        return colours.get(0).equals(colour) ? colours.get(1) : colours.get(0);
    }

    /** The files of the state folder. */
    public StatePaths paths() {
        return new StatePaths(stateDir);
    }

    public Path logDir() {
        return paths().logs();
    }

    /**
     * What starts the services, recorded per colour: {@code [process]}, or {@code [docker, <app>, <cli>,
     * <its args>...]} (the app names the containers).
     */
    public List<String> runtimeKind() {
        if (docker() == null) {
            return List.of("process");
        }
        List<String> kind = new ArrayList<>(List.of("docker", app(), docker().cli()));
        kind.addAll(docker().args());
        return List.copyOf(kind);
    }
}
