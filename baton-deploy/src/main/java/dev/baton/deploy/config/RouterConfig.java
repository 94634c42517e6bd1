package dev.baton.deploy.config;

import dev.baton.BatonException;
import dev.baton.IoReason;
import dev.baton.PrivateFiles;
import dev.baton.config.ConfigNode;
import dev.baton.proxy.AddressRange;
import dev.baton.proxy.Route;
import dev.baton.proxy.RouterSettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The parts of baton.yml the router needs: {@code router:}, the services' colour ports, and the
 * state folder. The admin token comes from {@code router.token}, or is generated once into
 * {@code <state_dir>/router.token} (owner-only) so the router and deploys share it.
 */
public final class RouterConfig {
    static final Set<String> ROUTER_KEYS = Set.of("type", "listen", "admin", "token", "routes", "initial_colour", "nginx",
            "start", "trusted_proxies");

    /** A route's prefix: it reaches nginx's site as it is, so nothing nginx would read as syntax. */
    private static final Pattern ROUTE_PATH = Pattern.compile("/[A-Za-z0-9._~%/-]*");

    private RouterConfig() {}

    public static RouterSettings read(ConfigNode root, Path configDir) {
        return read(root, configDir, true);
    }

    /**
     * @param makeToken whether a missing router token is created; a command that only looks
     *     ({@code status}, {@code deploy --plan}) writes nothing, and without a token file no router
     *     of this state folder has run, so an empty token does
     */
    public static RouterSettings read(ConfigNode root, Path configDir, boolean makeToken) {
        ConfigNode router = root.get("router").orElseThrow(() -> root.error("no router: section; add one, e.g."
                + " router: {listen: 127.0.0.1:8080, admin: 127.0.0.1:8081}"));
        router.allowOnly(ROUTER_KEYS);
        type(root);
        InetSocketAddress listen = address(router.get("listen").orElseThrow(() -> router.error("missing key listen (e.g. 127.0.0.1:8080)")));
        InetSocketAddress admin = router.get("admin").map(RouterConfig::address)
                .orElse(new InetSocketAddress("127.0.0.1", listen.getPort() + 1));
        if (type(root).equals("builtin")) { // said now, not 20 s into a deploy by a router that cannot start
            if (listen.isUnresolved()) {
                throw router.get("listen").get().error("host \"" + listen.getHostString() + "\" does not resolve on this"
                        + " machine; use an address such as 127.0.0.1:8080 or 0.0.0.0:80");
            }
            if (admin.isUnresolved() || !admin.getAddress().isLoopbackAddress()) {
                throw router.get("admin").map(n -> n.error("must be a loopback address such as 127.0.0.1:8081 (the admin"
                        + " endpoint switches traffic; nothing off this machine may reach it), got \""
                        + n.string().trim() + "\"")).orElseGet(() -> router.error("router.admin must be loopback"));
            }
        }
        Map<String, Map<String, URI>> upstreams = services(root);
        List<Route> routes = new ArrayList<>();
        if (router.get("routes").isPresent()) {
            for (ConfigNode r : router.get("routes").get().list()) {
                r.allowOnly(Set.of("path", "service"));
                String path = r.get("path").orElseThrow(() -> r.error("missing key path")).string();
                ConfigNode serviceNode = r.get("service").orElseThrow(() -> r.error("missing key service"));
                Map<String, URI> up = upstreams.get(serviceNode.string());
                if (up == null) {
                    throw serviceNode.error("no service named \"" + serviceNode.string() + "\"; services: " + upstreams.keySet());
                }
                if (!ROUTE_PATH.matcher(path).matches()) {
                    throw r.get("path").get().error("expected a path prefix such as /api (letters, digits and - . _ ~ / %),"
                            + " got \"" + path + "\": it is written into nginx's site, where braces, semicolons, quotes,"
                            + " $ and spaces are nginx's own syntax");
                }
                routes.add(new Route(path, up));
            }
        } else {
            routes.add(new Route("/", upstreams.values().iterator().next()));
        }
        // longest prefix first, so /api/v2 wins over /api and / comes last
        routes.sort((a, b) -> Integer.compare(b.pathPrefix().length(), a.pathPrefix().length()));
        Path stateDir = stateDir(root, configDir);
        // nginx has no admin endpoint: no token to make (reading a config must not write files for it)
        String token = router.get("token").map(ConfigNode::string)
                .orElseGet(() -> type(root).equals("nginx") ? ""
                        : makeToken || Files.isRegularFile(new StatePaths(stateDir).routerToken()) ? tokenFile(stateDir) : "");
        // default: the first colour listed, so colours other than blue/green work unconfigured
        String initial = router.get("initial_colour").map(ConfigNode::string)
                .orElse(upstreams.values().iterator().next().keySet().iterator().next());
        Path tokenFile = router.get("token").isEmpty() && !token.isEmpty() ? new StatePaths(stateDir).routerToken() : null;
        return new RouterSettings(listen, admin, token, routes, new StatePaths(stateDir).routerState(), initial,
                trustedProxies(root, router), tokenFile);
    }

    /** {@code router.trusted_proxies}: addresses or CIDR blocks whose X-Forwarded-* headers the router keeps. */
    private static List<AddressRange> trustedProxies(ConfigNode root, ConfigNode router) {
        Optional<ConfigNode> node = router.get("trusted_proxies");
        if (node.isEmpty()) {
            return List.of();
        }
        if (type(root).equals("nginx")) {
            throw node.get().error("applies to Baton's own router; with nginx, trust a proxy with its realip module"
                    + " (set_real_ip_from in your site template)");
        }
        List<AddressRange> out = new ArrayList<>();
        for (ConfigNode n : node.get().list()) {
            try {
                out.add(AddressRange.parse(n.string()));
            } catch (IllegalArgumentException e) {
                throw n.error(e.getMessage());
            }
        }
        return out;
    }

    /**
     * {@code router.start}: {@code baton} (the default) starts the built-in router, supervised, when
     * none answers; {@code external} leaves starting and restarting it to a supervisor of your own
     * (systemd), and a deploy only waits for it to answer.
     */
    public static boolean startedByBaton(ConfigNode root) {
        ConfigNode n = root.get("router").flatMap(r -> r.get("start")).orElse(null);
        if (n == null) {
            return true;
        }
        return switch (n.string()) {
            case "baton" -> true;
            case "external" -> false;
            default -> throw n.error("expected baton (Baton starts the router when none answers) or external"
                    + " (systemd or another supervisor does), got \"" + n.string() + "\"");
        };
    }

    /** {@code router.type}: builtin (the default) or nginx. */
    public static String type(ConfigNode root) {
        ConfigNode t = root.get("router").flatMap(r -> r.get("type")).orElse(null);
        if (t == null) {
            return "builtin";
        }
        String type = t.string();
        if (!type.equals("builtin") && !type.equals("nginx")) {
            throw t.error("expected builtin (Baton's own router) or nginx, got \"" + type + "\"");
        }
        return type;
    }

    /** service name to colour to upstream URI, from {@code services.<name>.ports.<colour>}. */
    static Map<String, Map<String, URI>> services(ConfigNode root) {
        ConfigNode services = root.get("services").orElseThrow(() -> root.error("no services: section; the router needs"
                + " each service's port per colour, e.g. services: {api: {ports: {blue: 8000, green: 8001}}}"));
        Map<String, Map<String, URI>> out = new LinkedHashMap<>();
        for (Map.Entry<String, ConfigNode> s : services.entries().entrySet()) {
            ConfigNode ports = s.getValue().get("ports").orElseThrow(() -> s.getValue().error("missing key ports"));
            Map<String, URI> byColour = new LinkedHashMap<>();
            for (Map.Entry<String, ConfigNode> p : ports.entries().entrySet()) {
                int port = p.getValue().integer(1, 65535, "a port number between 1 and 65535");
                byColour.put(p.getKey(), URI.create("http://127.0.0.1:" + port));
            }
            out.put(s.getKey(), byColour);
        }
        if (out.isEmpty()) {
            throw services.error("no services listed");
        }
        return out;
    }

    static InetSocketAddress address(ConfigNode node) {
        String value = node.string().trim();
        int colon = value.lastIndexOf(':');
        try {
            String host = colon <= 0 ? "127.0.0.1" : value.substring(0, colon).replace("[", "").replace("]", "");
            int port = Integer.parseInt(colon < 0 ? value : value.substring(colon + 1));
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return new InetSocketAddress(host, port);
        } catch (NumberFormatException e) {
            throw node.error("expected host:port such as 127.0.0.1:8080, got \"" + value + "\"");
        }
    }

    /** {@code state_dir}, resolved against the config's folder (default {@code .baton}); refused when it is not a folder of its own, private to this user. */
    public static Path stateDir(ConfigNode root, Path configDir) {
        Path dir = configDir.resolve(root.get("state_dir").map(ConfigNode::string).orElse(".baton")).normalize();
        ConfigNode at = root.get("state_dir").orElse(root);
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw at.error(dir + " is a file, not a folder; name a folder for Baton's state (it is created, private,"
                    + " if missing)");
        }
        // The state holds the router's token and the deploy's logs: a folder of its own, that nobody else can write to
        try {
            if (Files.isDirectory(dir) && Files.getPosixFilePermissions(dir).stream()
                    .anyMatch(p -> p == PosixFilePermission.GROUP_WRITE || p == PosixFilePermission.OTHERS_WRITE)) {
                throw at.error(dir + " can be written by other users; Baton's state is private: run chmod go-w " + dir
                        + ", or name a folder of Baton's own (created private if missing)");
            }
        } catch (IOException | UnsupportedOperationException e) {
            // permissions that cannot be read are checked again when the state is written
        }
        if (Files.isDirectory(dir) && !(Files.isReadable(dir) && Files.isWritable(dir) && Files.isExecutable(dir))) {
            // e.g. made by a deploy run with sudo: without this, its state reads as "never deployed"
            String owner = owner(dir);
            String me = System.getProperty("user.name");
            throw BatonException.state(dir + " (Baton's state) belongs to " + owner + ", and " + me + " cannot use it: run baton as "
                    + owner + ", as the deploys before did, or hand it over: sudo chown -R " + me + " " + dir);
        }
        if (configDir.normalize().startsWith(dir)) {
            throw at.error(dir + " holds the config itself; name a folder of Baton's own, such as state_dir: .baton"
                    + " (created private if missing)");
        }
        return dir;
    }

    private static String owner(Path dir) {
        try {
            return Files.getOwner(dir).getName();
        } catch (IOException e) {
            return "another user";
        }
    }

    /** The token in {@code <stateDir>/router.token}, created on first use. */
    public static String tokenFile(Path stateDir) {
        Path file = new StatePaths(stateDir).routerToken();
        try {
            if (Files.isRegularFile(file)) {
                return Files.readString(file, StandardCharsets.UTF_8).strip();
            }
            PrivateFiles.ensureDir(stateDir); // private from its creation: it holds the token
            new StatePaths(stateDir).keepOutOfGit();
            byte[] bytes = new byte[24];
            new SecureRandom().nextBytes(bytes);
            String token = HexFormat.of().formatHex(bytes);
            Path tmp = Files.createTempFile(stateDir, ".router-token", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, token + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            return token;
        } catch (FileAlreadyExistsException e) {
            if (Files.isRegularFile(file)) {
                return tokenFile(stateDir); // another process made it meanwhile: use theirs
            }
            throw BatonException.usage("cannot create the router token " + file + ": " + e.getMessage());
        } catch (IOException e) {
            throw BatonException.usage("cannot read or create the router token " + file + ": " + IoReason.of(e));
        }
    }
}
