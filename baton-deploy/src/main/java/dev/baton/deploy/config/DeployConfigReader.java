package dev.baton.deploy.config;

import dev.baton.config.ConfigNode;
import dev.baton.proxy.Route;
import dev.baton.proxy.RouterSettings;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads baton.yml into a {@link DeployConfig}. Strict: unknown keys are errors, and every error
 * names the key path and line, e.g. {@code services.api.ports.green: expected a port number, got
 * "80x1" (baton.yml:14)}.
 */
public final class DeployConfigReader {
    static final Set<String> TOP = Set.of("app", "confirm", "state_dir", "services", "accessories", "migrations",
            "router", "deadlines", "gates", "build", "cleanup", "validate", "keep_failed_target", "lock", "hosts", "ssh", "runtime", "release", "notify");
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final Set<String> HTTP_SETS = Set.of("connection", "content-length", "expect", "host", "upgrade");
    static final Set<String> SERVICE = Set.of("command", "shell", "env", "dir", "ports", "health", "static", "stop_grace", "image",
            "warmup", "start_priority");
    /** How long a gate, build or cleanup command may run unless it sets timeout:. */
    static final Duration DEFAULT_HOOK_TIMEOUT = Duration.ofMinutes(10);
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]*");

    /** Keys of a section that a new user may write at the top level, and the section they belong to. */
    private static final Map<String, String> UNDER = Map.ofEntries(Map.entry("nginx", "router"), Map.entry("routes", "router"),
            Map.entry("listen", "router"), Map.entry("admin", "router"), Map.entry("command", "services.<name>"),
            Map.entry("image", "services.<name>"), Map.entry("ports", "services.<name>"), Map.entry("health", "services.<name>"),
            Map.entry("env", "services.<name>"), Map.entry("warmup", "services.<name>"), Map.entry("url", "migrations"),
            Map.entry("dir", "migrations"), Map.entry("engine", "migrations"));
    private static final Map<String, String> EXAMPLE = Map.of(
            "router", "router: {type: nginx, listen: 0.0.0.0:80, nginx: {site: /etc/nginx/sites-enabled/shop.conf}}",
            "services.<name>", "services: {web: {command: [./server], ports: {blue: 8000, green: 8001}, health: [/health]}}",
            "migrations", "migrations: {url: \"${DATABASE_URL}\", dir: migrations}");

    private DeployConfigReader() {}

    public static DeployConfig read(Path file, Map<String, String> env) {
        Path abs = file.toAbsolutePath().normalize();
        return read(ConfigNode.load(abs, env), abs, env, true);
    }

    /** For a command that only looks (status, history, deploy --plan): reading creates no file (the router token). */
    public static DeployConfig readToLook(Path file, Map<String, String> env) {
        Path abs = file.toAbsolutePath().normalize();
        return read(ConfigNode.load(abs, env), abs, env, false);
    }

    private static DeployConfig read(ConfigNode root, Path file, Map<String, String> env, boolean writes) {
        Path dir = file.getParent();
        root.entries().forEach((key, node) -> {
            String home = UNDER.get(key);
            if (home != null) { // a key of a section written at the top level: say where it goes
                throw node.error(key + " belongs under " + home + ", not at the top level, e.g. " + EXAMPLE.get(home));
            }
        });
        root.allowOnly(TOP);
        ConfigNode appNode = root.get("app").orElseThrow(() -> root.error("missing key app (the application's name, e.g. app: shop)"));
        String app = name(appNode);
        String confirm = root.get("confirm").map(ConfigNode::string).orElse(null);
        Path stateDir = RouterConfig.stateDir(root, dir);

        DockerSettings docker = docker(root);
        Map<String, ServiceSpec> read = services(root, dir, docker != null);
        String remoteDir = root.get("ssh").flatMap(n -> n.get("dir")).map(ConfigNode::string).orElse(".baton/" + app);
        ReleaseUpload releases = releases(root, dir, stateDir, remoteDir);
        Map<String, ServiceSpec> services = releases != null && env.get("baton.version") != null
                ? inRelease(read, dir, releases.folder(env.get("baton.version"))) : read;
        List<String> colours = colours(root, services);
        Map<String, AccessorySpec> accessories = null;
        MigrationsConfig migrations = MigrationsConfig.read(root, dir);
        refusePortZero(root); // before the router's token is written
        RouterSettings router = RouterConfig.read(root, dir, writes);
        if (!colours.contains(router.initialColour())) {
            throw root.get("router").get().error("initial_colour \"" + router.initialColour() + "\" is not one of " + colours);
        }
        checkPorts(root, services, router);
        Deadlines deadlines = deadlines(root);
        String sshBind = root.get("ssh").flatMap(n -> n.get("bind")).map(ConfigNode::string).orElse(null);
        List<HostSpec> hosts = hosts(root, dir).stream().map(h -> h.bind() != null ? h : new HostSpec(h.name(), h.address(),
                h.sshPort(), h.dir(), h.listen(), h.nginx(), sshBind != null ? sshBind : h.address())).toList();
        accessories = accessories(root, hosts);
        if ((hosts.size() > 1 || !hosts.get(0).local()) && RouterConfig.type(root).equals("builtin")) {
            throw root.get("router").get().error("the builtin router runs on the machine Baton runs on; to deploy to "
                    + (hosts.size() > 1 ? "several hosts" : hosts.get(0).name()) + " set router.type: nginx (nginx on each server)");
        }
        List<String> validate = root.get("validate").map(DeployConfigReader::paths).orElseGet(() -> defaultValidate(services, router));
        String lockUrl = null;
        if (root.get("lock").isPresent()) {
            ConfigNode lock = root.get("lock").get().allowOnly(Set.of("url"));
            lockUrl = lock.get("url").map(ConfigNode::string).orElse(null);
        } else if (migrations.builtin()) {
            lockUrl = migrations.url();
        }
        return new DeployConfig(file, dir, app, confirm, stateDir, colours, services, accessories, migrations, router,
                nginx(root, dir), deadlines, hooks(root, "gates", true, dir), hooks(root, "build", false, dir),
                hooks(root, "cleanup", false, dir), validate,
                root.get("keep_failed_target").map(ConfigNode::bool).orElse(false), lockUrl, hosts,
                ssh(root, env), remoteDir, docker, release(root), notify(root), RouterConfig.startedByBaton(root), releases,
                env.get("baton.version"));
    }

    /**
     * {@code runtime.release} and {@code runtime.keep_releases} (process runtime): on servers the
     * releases live in {@code <ssh.dir>/releases}, here in {@code <state_dir>/releases}.
     */
    static ReleaseUpload releases(ConfigNode root, Path dir, Path stateDir, String remoteDir) {
        ConfigNode r = root.get("runtime").orElse(null);
        if (r == null || r.get("release").isEmpty()) {
            return null;
        }
        ConfigNode from = r.get("release").get();
        Path path = dir.resolve(from.string()).normalize();
        String name = path.getFileName() == null ? "" : path.getFileName().toString();
        if (Files.isRegularFile(path) && !name.endsWith(".tar.gz") && !name.endsWith(".tgz") && !name.endsWith(".tar")) {
            throw from.error("a release is a folder or a .tar.gz, .tgz or .tar archive, got the file " + path);
        }
        int keep = r.get("keep_releases").map(n -> n.integer(1, 1000, "how many releases each server keeps, 1 to 1000")).orElse(5);
        boolean remote = root.get("hosts").isPresent() && !hosts(root, dir).stream().allMatch(HostSpec::local);
        return new ReleaseUpload(path, remote ? remoteDir + "/releases" : stateDir.resolve("releases").toString(), keep);
    }

    /** The services started from the release's folder: a service's dir: inside the config's folder is that place inside the release. */
    private static Map<String, ServiceSpec> inRelease(Map<String, ServiceSpec> services, Path dir, String release) {
        Map<String, ServiceSpec> out = new LinkedHashMap<>();
        services.forEach((name, s) -> {
            Path inside = s.workDir().startsWith(dir) ? dir.relativize(s.workDir()) : Path.of("");
            Path work = inside.toString().isEmpty() ? Path.of(release) : Path.of(release).resolve(inside);
            out.put(name, s.in(work));
        });
        return out;
    }

    static ReleaseSettings release(ConfigNode root) {
        ConfigNode r = root.get("release").orElse(null);
        if (r == null) {
            return null;
        }
        r.allowOnly(Set.of("tag", "push"));
        String tag = r.get("tag").map(ConfigNode::string).orElse("release-{release}");
        if (!tag.matches("[A-Za-z0-9._{}/-]+") || tag.startsWith("-")) {
            throw r.get("tag").get().error("a git tag of letters, digits, . _ - / and {version} {release} {date} {time} {colour},"
                    + " got \"" + tag + "\"");
        }
        return new ReleaseSettings(tag, r.get("push").map(ConfigNode::string).orElse(null));
    }

    static List<NotifySpec> notify(ConfigNode root) {
        List<NotifySpec> out = new ArrayList<>();
        if (root.get("notify").isEmpty()) {
            return out;
        }
        for (ConfigNode n : root.get("notify").get().list()) {
            n.allowOnly(Set.of("ntfy", "webhook", "headers"));
            boolean ntfy = n.get("ntfy").isPresent();
            if (ntfy == n.get("webhook").isPresent()) {
                throw n.error("expected one of ntfy: TOPIC-URL or webhook: URL");
            }
            Map<String, String> headers = new LinkedHashMap<>();
            n.get("headers").ifPresent(h -> headers.putAll(headers(h)));
            out.add(new NotifySpec(ntfy ? NotifySpec.Kind.NTFY : NotifySpec.Kind.WEBHOOK, uri(n.get(ntfy ? "ntfy" : "webhook").get()), headers));
        }
        return out;
    }

    static DockerSettings docker(ConfigNode root) {
        ConfigNode r = root.get("runtime").orElse(null);
        if (r == null) {
            return null;
        }
        r.allowOnly(Set.of("type", "cli", "args", "run_args", "prune", "ship", "release", "keep_releases"));
        String type = r.get("type").map(ConfigNode::string).orElse("process");
        if (type.equals("process")) {
            for (String key : List.of("cli", "args", "run_args", "prune", "ship")) {
                if (r.get(key).isPresent()) {
                    throw r.get(key).get().error(key + " is for type: docker; the process runtime ships a release: folder instead");
                }
            }
            return null;
        }
        for (String key : List.of("release", "keep_releases")) {
            if (r.get(key).isPresent()) {
                throw r.get(key).get().error(key + " is for type: process; containers ship images (ship: ssh)");
            }
        }
        if (!type.equals("docker")) {
            throw r.get("type").get().error("expected process (local processes) or docker (containers), got \"" + type + "\"");
        }
        return new DockerSettings(r.get("cli").map(ConfigNode::string).orElse("docker"),
                r.get("args").map(MigrationsConfig::argv).orElse(List.of()),
                r.get("run_args").map(MigrationsConfig::argv).orElse(List.of()),
                r.get("prune").map(n -> {
                    n.duration(); // checked, passed on as written
                    return n.string().trim();
                }).orElse(null),
                r.get("ship").map(n -> switch (n.string()) {
                    case "ssh" -> true;
                    case "registry" -> false;
                    default -> throw n.error("expected ssh (send the images from this machine over SSH) or registry"
                            + " (the servers pull them; the default), got \"" + n.string() + "\"");
                }).orElse(false));
    }

    static List<HostSpec> hosts(ConfigNode root, Path dir) {
        if (root.get("hosts").isEmpty()) {
            return List.of(HostSpec.LOCAL);
        }
        List<HostSpec> out = new ArrayList<>();
        for (ConfigNode h : root.get("hosts").get().list()) {
            HostSpec spec;
            if (h.isScalar()) {
                String v = h.string();
                spec = v.equals("local") ? HostSpec.LOCAL : new HostSpec(v, hostAddress(h), null, null, null, null, null);
            } else {
                h.allowOnly(Set.of("name", "address", "port", "dir", "listen", "nginx", "bind"));
                String address = hostAddress(h.get("address").orElseThrow(() -> h.error("missing key address (a host name or IP)")));
                NginxSettings nginx = h.get("nginx").map(n -> nginxSettings(n, dir, routeCount(root))).orElse(null);
                spec = new HostSpec(h.get("name").map(ConfigNode::string).orElse(address), address,
                        h.get("port").map(DeployConfigReader::port).orElse(null), h.get("dir").map(ConfigNode::string).orElse(null),
                        h.get("listen").map(RouterConfig::address).orElse(null), nginx,
                        h.get("bind").map(ConfigNode::string).orElse(null));
            }
            if (out.stream().anyMatch(o -> o.name().equals(spec.name()))) {
                throw h.error("host \"" + spec.name() + "\" is listed twice");
            }
            out.add(spec);
        }
        if (out.isEmpty()) {
            throw root.get("hosts").get().error("no hosts listed; leave hosts: out to deploy on this machine");
        }
        return out;
    }

    /** A DNS name (labels of letters, digits, - and _), an IPv4 address or an IPv6 literal (in [] or not). */
    private static final Pattern HOST_NAME = Pattern.compile("(?=.{1,253}$)[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?"
            + "(\\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\\.?");
    private static final Pattern IPV6 = Pattern.compile("\\[?[0-9A-Fa-f]*:[0-9A-Fa-f:.]*(%[A-Za-z0-9_.-]+)?]?");

    /**
     * A server's address as SSH will be given it: nothing that could read as an option ({@code -o...}),
     * no spaces, no user (that is {@code ssh.user}).
     */
    private static String hostAddress(ConfigNode n) {
        String v = n.string();
        if (!HOST_NAME.matcher(v).matches() && !IPV6.matcher(v).matches()) {
            throw n.error("\"" + v + "\" is not a host name or an IP address; write e.g. web-1.example.com, 203.0.113.10"
                    + " or 2001:db8::10 (the SSH user goes in ssh.user, the port in port:)");
        }
        return v;
    }

    static SshSettings ssh(ConfigNode root, Map<String, String> env) {
        String home = env.getOrDefault("HOME", System.getProperty("user.home"));
        ConfigNode n = root.get("ssh").orElse(null);
        if (n != null) {
            n.allowOnly(Set.of("user", "port", "key", "known_hosts", "trust_on_first_use", "connect_timeout", "dir", "bind"));
        }
        Function<String, Optional<ConfigNode>> get = k -> n == null ? Optional.empty() : n.get(k);
        int port = get.apply("port").map(DeployConfigReader::port).orElse(22);
        return new SshSettings(
                get.apply("user").map(ConfigNode::string).orElse(System.getProperty("user.name")), port,
                get.apply("key").map(k -> tilde(k.string(), home)).orElse(null),
                get.apply("known_hosts").map(k -> tilde(k.string(), home)).orElse(Path.of(home, ".ssh", "known_hosts")),
                get.apply("trust_on_first_use").map(ConfigNode::bool).orElse(false),
                get.apply("connect_timeout").map(ConfigNode::duration).orElse(Duration.ofSeconds(10)),
                env.get("SSH_AUTH_SOCK") == null || env.get("SSH_AUTH_SOCK").isBlank() ? null : Path.of(env.get("SSH_AUTH_SOCK")));
    }

    /** {@code static.owner}: a user, or user:group, as chown takes them (names or numbers); nothing else reaches chown. */
    static String owner(ConfigNode n) {
        String v = n.string();
        if (!v.matches("([a-z_][a-z0-9_.-]*\\$?|\\d+)(:([a-z_][a-z0-9_.-]*\\$?|\\d+))?")) {
            throw n.error("expected a user or user:group such as www-data or www-data:www-data, got \"" + v + "\"");
        }
        return v;
    }

    private static Path tilde(String path, String home) {
        return path.equals("~") ? Path.of(home) : path.startsWith("~/") ? Path.of(home, path.substring(2)) : Path.of(path);
    }

    private static Map<String, ServiceSpec> services(ConfigNode root, Path dir, boolean containers) {
        ConfigNode section = root.get("services").orElseThrow(() -> root.error("missing key services (each with a"
                + " command and a port per colour)"));
        Map<String, ServiceSpec> out = new LinkedHashMap<>();
        for (Map.Entry<String, ConfigNode> e : section.entries().entrySet()) {
            ConfigNode s = e.getValue().allowOnly(SERVICE);
            String image = s.get("image").map(ConfigNode::string).orElse(null);
            if (containers && image == null) {
                throw s.error("missing key image: the docker runtime runs an image, e.g. image: registry.example.com/shop-api:1.4");
            }
            if (!containers && image != null) {
                throw s.get("image").get().error("image needs the docker runtime: runtime: {type: docker}");
            }
            List<String> argv = containers && s.get("command").isEmpty() && s.get("shell").isEmpty() ? List.of() : command(s);
            Map<String, String> env = new LinkedHashMap<>();
            s.get("env").ifPresent(n -> env.putAll(env(n)));
            Map<String, String> versionedEnv = new LinkedHashMap<>();
            s.get("env").ifPresent(n -> n.entries().forEach((k, v) -> v.template("baton.version").ifPresent(t -> versionedEnv.put(k, t))));
            ConfigNode portsNode = s.get("ports").orElseThrow(() -> s.error("missing key ports (e.g. ports: {blue: 8000, green: 8001})"));
            Map<String, Integer> ports = new LinkedHashMap<>();
            for (Map.Entry<String, ConfigNode> p : portsNode.entries().entrySet()) {
                ports.put(p.getKey(), port(p.getValue()));
            }
            if (ports.size() != 2) {
                throw portsNode.error("expected exactly two colours with a port each, e.g. {blue: 8000, green: 8001}; got "
                        + ports.keySet());
            }
            if (ports.values().stream().distinct().count() != 2) {
                throw portsNode.error("the two colours need different ports; got " + ports);
            }
            List<String> health = health(s);
            Path staticFrom = null;
            Path staticTo = null;
            String staticOwner = null;
            boolean staticSudo = false;
            if (s.get("static").isPresent()) {
                ConfigNode st = s.get("static").get().allowOnly(Set.of("from", "to", "owner", "sudo"));
                staticOwner = st.get("owner").map(DeployConfigReader::owner).orElse(null);
                staticSudo = st.get("sudo").map(ConfigNode::bool).orElse(false);
                if (staticSudo && staticOwner == null) {
                    throw st.get("sudo").get().error("sudo is for the chown of owner:; give owner: too, e.g. owner: www-data");
                }
                ConfigNode from = st.get("from").orElseThrow(() -> st.error("missing key from (the folder of built assets)"));
                ConfigNode to = st.get("to").orElseThrow(() -> st.error("missing key to (assets go to <to>/<colour>)"));
                // with containers, a folder inside the image, copied out with `docker cp`
                staticFrom = containers ? Path.of(from.string()) : dir.resolve(from.string()).normalize();
                staticTo = dir.resolve(to.string()).normalize();
            }
            Path workDir = s.get("dir").map(n -> dir.resolve(n.string()).normalize()).orElse(dir);
            Duration grace = s.get("stop_grace").map(ConfigNode::duration).orElse(Duration.ofSeconds(10));
            boolean startLow = s.get("start_priority").map(n -> switch (n.string()) {
                case "low" -> true;
                case "normal" -> false;
                default -> throw n.error("expected low (the default: the new colour starts below the serving one, raised"
                        + " before it gets traffic) or normal, got \"" + n.string() + "\"");
            }).orElse(true);
            out.put(name(e.getKey(), e.getValue()), new ServiceSpec(e.getKey(), argv, env, workDir, ports, health,
                    staticFrom, staticTo, staticOwner, grace, image, s.get("warmup").map(DeployConfigReader::warmup).orElse(null),
                    staticSudo, startLow, versionedEnv));
        }
        if (out.isEmpty()) {
            throw section.error("no services listed");
        }
        Map<Integer, String> seen = new LinkedHashMap<>();
        for (ServiceSpec s : out.values()) {
            for (Map.Entry<String, Integer> p : s.ports().entrySet()) {
                String other = seen.put(p.getValue(), s.name() + "." + p.getKey());
                if (other != null) {
                    throw section.get(s.name()).get().error("port " + p.getValue() + " of " + p.getKey()
                            + " is also used by " + other);
                }
            }
        }
        return out;
    }

    private static Warmup warmup(ConfigNode n) {
        ConfigNode w = n.allowOnly(Set.of("paths", "requests", "concurrency"));
        List<String> paths = paths(w.get("paths").orElseThrow(() -> w.error("missing key paths (GET paths the new colour"
                + " answers before it gets traffic, e.g. paths: [/api/items])")));
        if (paths.isEmpty()) {
            throw w.get("paths").get().error("expected at least one path, e.g. paths: [/api/items]");
        }
        int requests = w.get("requests").map(r -> positive(r, 100_000)).orElse(Warmup.DEFAULT_REQUESTS);
        int concurrency = w.get("concurrency").map(r -> positive(r, 256)).orElse(Warmup.DEFAULT_CONCURRENCY);
        return new Warmup(paths, requests, concurrency);
    }

    private static int positive(ConfigNode n, int max) {
        return n.integer(1, max, "a number from 1 to " + max);
    }

    private static List<String> command(ConfigNode s) {
        boolean hasCommand = s.get("command").isPresent();
        boolean hasShell = s.get("shell").isPresent();
        if (hasCommand == hasShell) {
            throw s.error(hasCommand ? "give command or shell, not both"
                    : "missing key command (an argv list, e.g. command: [java, -jar, app.jar]) or shell (a script)");
        }
        return hasCommand ? MigrationsConfig.argv(s.get("command").get()) : shell(s.get("shell").get().string());
    }

    /**
     * Port 0 is any free port, another at each start: fine for {@code baton proxy} by hand, which
     * prints it, but a deploy could not find its router, and its checks would go to port 0.
     */
    private static void refusePortZero(ConfigNode root) {
        Optional<ConfigNode> router = root.get("router");
        List<String> keys = RouterConfig.type(root).equals("nginx") ? List.of("listen") : List.of("listen", "admin");
        for (String key : keys) {
            Optional<ConfigNode> node = router.flatMap(r -> r.get(key));
            if (node.isPresent() && RouterConfig.address(node.get()).getPort() == 0) {
                throw node.get().error("port 0 means any free port, a different one at each start; a deploy needs the"
                        + " router at a fixed one, e.g. " + RouterConfig.address(node.get()).getHostString()
                        + (key.equals("listen") ? ":8080" : ":8081"));
            }
        }
    }

    /**
     * No service port may be the router's: traffic would go around in a loop, or the service fail
     * to start. (Two services on one port are refused as the services are read.)
     */
    private static void checkPorts(ConfigNode root, Map<String, ServiceSpec> services, RouterSettings router) {
        Map<Integer, String> taken = new LinkedHashMap<>();
        taken.put(router.listen().getPort(), "router.listen");
        if (!RouterConfig.type(root).equals("nginx") && taken.putIfAbsent(router.admin().getPort(), "router.admin") != null) {
            throw root.get("router").flatMap(r -> r.get("admin")).orElse(root).error("port " + router.admin().getPort()
                    + " is also router.listen; the admin API needs a port of its own (e.g. admin: 127.0.0.1:"
                    + (router.listen().getPort() == 65535 ? 65534 : router.listen().getPort() + 1) + ")");
        }
        for (ServiceSpec s : services.values()) {
            for (Map.Entry<String, Integer> p : s.ports().entrySet()) {
                String key = "services." + s.name() + ".ports." + p.getKey();
                String other = taken.putIfAbsent(p.getValue(), key);
                if (other != null) {
                    ConfigNode node = root.get("services").flatMap(n -> n.get(s.name())).flatMap(n -> n.get("ports"))
                            .flatMap(n -> n.get(p.getKey())).orElse(root);
                    throw node.error("port " + p.getValue() + " is also " + other + "; give each colour of each service"
                            + " a port of its own, apart from the router's");
                }
            }
        }
    }

    /**
     * A service's environment: every name one a process can have, every value given. A key with no
     * value is refused rather than dropped: in docker compose it passes this machine's variable on.
     */
    static Map<String, String> env(ConfigNode node) {
        for (Map.Entry<String, ConfigNode> e : node.withoutValue().entrySet()) {
            throw e.getValue().error("no value; write " + e.getKey() + ": \"\" for an empty one, or " + e.getKey()
                    + ": ${" + e.getKey() + "} to pass on this machine's variable");
        }
        Map<String, String> env = new LinkedHashMap<>();
        for (Map.Entry<String, ConfigNode> e : node.entries().entrySet()) {
            String name = e.getKey();
            if (name.isEmpty() || name.indexOf('=') >= 0 || name.indexOf('\0') >= 0) {
                throw e.getValue().error("\"" + name + "\" cannot name an environment variable (it may not be empty or hold = or NUL);"
                        + " write a name such as DATABASE_URL");
            }
            env.put(name, e.getValue().string()); // string() refuses a NUL, as in every value
        }
        return env;
    }

    /**
     * Extra HTTP headers of a notice: names as HTTP defines them, values on one line, none of the
     * headers the HTTP client sets itself. Refused here rather than as an undelivered notice later.
     */
    static Map<String, String> headers(ConfigNode node) {
        for (Map.Entry<String, ConfigNode> e : node.withoutValue().entrySet()) {
            throw e.getValue().error("no value; write " + e.getKey() + ": \"...\" (e.g. Authorization: \"Bearer ${HOOK_TOKEN}\")");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, ConfigNode> e : node.entries().entrySet()) {
            String name = e.getKey();
            if (!HEADER_NAME.matcher(name).matches()) {
                throw e.getValue().error("\"" + name + "\" is not an HTTP header name (letters, digits and !#$%&'*+-.^_`|~);"
                        + " e.g. Authorization or X-Deploy-Token");
            }
            if (HTTP_SETS.contains(name.toLowerCase(Locale.ROOT))) {
                throw e.getValue().error(name + " is set by the HTTP client itself; leave it out");
            }
            String value = e.getValue().string();
            if (value.chars().anyMatch(c -> c < 0x20 && c != '\t' || c == 0x7f)) { // the value is not shown: it may be a secret
                throw e.getValue().error("the value holds a line break or another control character; a header's value is one line");
            }
            out.put(name, value);
        }
        return out;
    }

    /** A script the user asked to run in a shell: one argument to sh, never pasted into a command line. */
    static List<String> shell(String script) {
        return List.of("/bin/sh", "-c", script);
    }

    private static List<String> colours(ConfigNode root, Map<String, ServiceSpec> services) {
        List<String> colours = new ArrayList<>(services.values().iterator().next().ports().keySet());
        for (ServiceSpec s : services.values()) {
            if (!s.ports().keySet().equals(Set.copyOf(colours))) {
                throw root.get("services").get().get(s.name()).get().get("ports").get().error("colours "
                        + s.ports().keySet() + " differ from the first service's " + colours + "; use the same two everywhere");
            }
        }
        for (String c : colours) {
            if (!validName(c)) {
                throw root.get("services").get().error("colour \"" + c + "\" must be a lowercase name such as blue or green");
            }
        }
        return colours;
    }

    private static NginxSettings nginx(ConfigNode root, Path dir) {
        ConfigNode router = root.get("router").get();
        ConfigNode n = router.get("nginx").orElse(null);
        if (!RouterConfig.type(root).equals("nginx")) {
            if (n != null) {
                throw n.error("set router.type: nginx to use nginx");
            }
            return null;
        }
        if (n == null) {
            throw router.error("router.type nginx needs router.nginx.site, the site file Baton manages, e.g. router: {type: nginx,"
                    + " nginx: {site: /etc/nginx/sites-enabled/<app>.conf}}");
        }
        return nginxSettings(n, dir, routeCount(root));
    }

    /** How many routes the router has: those listed, or the one to the first service. */
    private static int routeCount(ConfigNode root) {
        return root.get("router").flatMap(r -> r.get("routes")).map(r -> r.list().size()).orElse(1);
    }

    static NginxSettings nginxSettings(ConfigNode n, Path dir, int routes) {
        n.allowOnly(Set.of("site", "available", "template", "test", "reload", "pid_file"));
        String site = n.get("site").orElseThrow(() -> n.error("missing key site (the site file nginx includes, e.g."
                + " /etc/nginx/sites-enabled/shop.conf)")).string();
        if (!site.startsWith("/")) {
            throw n.get("site").get().error("expected an absolute path on the server, got \"" + site + "\"");
        }
        String parent = site.substring(0, site.lastIndexOf('/'));
        String available = n.get("available").map(ConfigNode::string).orElse(parent.endsWith("/sites-enabled")
                ? parent.substring(0, parent.length() - "sites-enabled".length()) + "sites-available" : null);
        if (available == null) {
            throw n.error("missing key available: the folder for the colours' site files, outside what nginx includes"
                    + " (needed because " + parent + " is not a sites-enabled folder)");
        }
        Path template = n.get("template").map(t -> NginxTemplate.check(t, dir.resolve(t.string()).normalize(), routes)).orElse(null);
        return new NginxSettings(site, available, template,
                n.get("test").map(MigrationsConfig::argv).orElse(List.of("nginx", "-t")),
                n.get("reload").map(MigrationsConfig::argv).orElse(List.of("nginx", "-s", "reload")),
                n.get("pid_file").map(ConfigNode::string).orElse("/run/nginx.pid"));
    }

    private static Map<String, AccessorySpec> accessories(ConfigNode root, List<HostSpec> hosts) {
        Map<String, AccessorySpec> out = new LinkedHashMap<>();
        if (root.get("accessories").isEmpty()) {
            return out;
        }
        for (Map.Entry<String, ConfigNode> e : root.get("accessories").get().entries().entrySet()) {
            ConfigNode a = e.getValue().allowOnly(Set.of("check", "start", "host"));
            ConfigNode checkNode = a.get("check").orElseThrow(() -> a.error("missing key check, e.g. check: {tcp: 127.0.0.1:5432}"));
            List<String> start = a.get("start").map(MigrationsConfig::argv).orElse(List.of());
            String host = a.get("host").map(ConfigNode::string).orElse(null);
            if (host != null && hosts.stream().noneMatch(h -> h.name().equals(host))) {
                throw a.get("host").get().error("no host named \"" + host + "\" in hosts: "
                        + hosts.stream().map(HostSpec::name).toList());
            }
            out.put(name(e.getKey(), e.getValue()), new AccessorySpec(e.getKey(), check(checkNode), start, host));
        }
        return out;
    }

    static Check check(ConfigNode n) {
        n.allowOnly(Set.of("tcp", "http", "command"));
        if (n.entries().size() != 1) {
            throw n.error("expected one of tcp: host:port, http: URL or command: [argv]");
        }
        if (n.get("tcp").isPresent()) {
            var address = RouterConfig.address(n.get("tcp").get());
            return new Check.Tcp(address.getHostString(), address.getPort());
        }
        if (n.get("http").isPresent()) {
            return new Check.Http(uri(n.get("http").get()));
        }
        return new Check.Exec(MigrationsConfig.argv(n.get("command").get()));
    }

    private static List<Hook> hooks(ConfigNode root, String key, boolean allowHttp, Path dir) {
        List<Hook> out = new ArrayList<>();
        if (root.get(key).isEmpty()) {
            return out;
        }
        for (ConfigNode h : root.get(key).get().list()) {
            h.allowOnly(allowHttp ? Set.of("name", "command", "shell", "http", "dir", "timeout")
                    : Set.of("name", "command", "shell", "dir", "timeout"));
            long kinds = Set.of("command", "shell", "http").stream().filter(k -> h.get(k).isPresent()).count();
            if (kinds != 1) {
                throw h.error("expected exactly one of command: [argv], shell: \"script\"" + (allowHttp ? " or http: URL" : ""));
            }
            if (h.get("http").isPresent()) {
                Check.Http check = new Check.Http(uri(h.get("http").get()));
                out.add(new Hook(h.get("name").map(ConfigNode::string).orElse(check.uri().toString()), List.of(), dir,
                        DEFAULT_HOOK_TIMEOUT, check));
                continue;
            }
            List<String> argv = h.get("command").isPresent() ? MigrationsConfig.argv(h.get("command").get())
                    : shell(h.get("shell").get().string());
            Path in = h.get("dir").map(n -> dir.resolve(n.string()).normalize()).orElse(dir);
            Duration timeout = h.get("timeout").isPresent() ? h.get("timeout").get().duration() : DEFAULT_HOOK_TIMEOUT;
            String name = h.get("name").map(ConfigNode::string).orElse(argv.get(h.get("shell").isPresent() ? 2 : 0));
            out.add(new Hook(name, argv, in, timeout, null));
        }
        return out;
    }

    private static Deadlines deadlines(ConfigNode root) {
        if (root.get("deadlines").isEmpty()) {
            return Deadlines.DEFAULT;
        }
        ConfigNode d = root.get("deadlines").get().allowOnly(Set.of("health", "warmup", "drain", "accessory", "validate", "lock"));
        Deadlines def = Deadlines.DEFAULT;
        return new Deadlines(
                d.get("health").map(DeployConfigReader::awaited).orElse(def.health()),
                d.get("warmup").map(DeployConfigReader::awaited).orElse(def.warmup()),
                d.get("drain").map(ConfigNode::duration).orElse(def.drain()), // 0s: stop without waiting for requests in flight
                d.get("accessory").map(DeployConfigReader::awaited).orElse(def.accessory()),
                d.get("validate").map(DeployConfigReader::awaited).orElse(def.validate()),
                d.get("lock").map(ConfigNode::duration).orElse(def.lock())); // 0s: do not wait for another deploy
    }

    /** A deadline for something that must answer: 0 would fail every deploy before it could. */
    private static Duration awaited(ConfigNode n) {
        Duration d = n.duration();
        if (d.isZero()) {
            throw n.error("0 leaves no time to answer, so every deploy would fail here; give the time it may take,"
                    + " e.g. 30s");
        }
        return d;
    }

    /** Validation by default checks every health path the router sends to the service that owns it. */
    private static List<String> defaultValidate(Map<String, ServiceSpec> services, RouterSettings router) {
        List<String> out = new ArrayList<>();
        for (ServiceSpec s : services.values()) {
            for (String path : s.health()) {
                Route r = router.routes().stream().filter(x -> path.startsWith(x.pathPrefix())).findFirst().orElse(null);
                if (r != null && r.upstreams().get(router.initialColour()).getPort() == s.port(router.initialColour())) {
                    out.add(path);
                }
            }
        }
        return out;
    }

    /** A path and query as RFC 3986 allows them unencoded. */
    private static final Pattern HTTP_PATH = Pattern.compile("/[A-Za-z0-9._~!$&'()*+,;=:@%/?-]*");

    /**
     * The paths that must answer 2xx before the colour gets traffic. A service without any says
     * so ({@code health: none}); a missing or empty list is more likely a mistake, which would
     * switch traffic to whatever started.
     */
    private static List<String> health(ConfigNode service) {
        String example = " (e.g. health: [/health]), or health: none to switch traffic without a check";
        ConfigNode h = service.get("health").orElseThrow(() -> service.error("missing key health: the paths that must answer"
                + " 2xx before traffic moves" + example));
        if (h.isScalar() && h.string().strip().equals("none")) {
            return List.of();
        }
        List<String> paths = paths(h);
        if (paths.isEmpty()) {
            throw h.error("an empty list checks nothing: list the paths that must answer 2xx before traffic moves" + example);
        }
        return paths;
    }

    private static List<String> paths(ConfigNode n) {
        List<String> out = new ArrayList<>();
        for (ConfigNode p : n.list()) {
            String path = p.string();
            if (!HTTP_PATH.matcher(path).matches()) {
                throw p.error("expected a URL path starting with /, such as /health or /api/items?limit=1 (spaces and"
                        + " other characters percent-encoded, e.g. %20), got \"" + path + "\"");
            }
            out.add(path);
        }
        return out;
    }

    private static int port(ConfigNode n) {
        return n.integer(1, 65535, "a port number between 1 and 65535");
    }

    private static URI uri(ConfigNode n) {
        try {
            URI u = URI.create(n.string());
            if (u.getScheme() == null || !u.getScheme().startsWith("http") || u.getHost() == null) {
                throw new IllegalArgumentException();
            }
            return u;
        } catch (IllegalArgumentException e) {
            throw n.error("expected an http:// or https:// URL, got \"" + n.string() + "\"");
        }
    }

    /** Whether {@code value} can name an app, a service or an accessory (it becomes part of file and container names). */
    public static boolean validName(String value) {
        return NAME.matcher(value).matches();
    }

    private static String name(ConfigNode n) {
        return name(n.string(), n);
    }

    private static String name(String value, ConfigNode where) {
        if (!validName(value)) {
            throw where.error("\"" + value + "\" is not a valid name: use lowercase letters, digits, - and _");
        }
        return value;
    }

}
