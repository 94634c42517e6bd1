package dev.baton.deploy.state;

import dev.baton.deploy.config.ServiceSpec;
import dev.baton.deploy.config.Warmup;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What one colour was started with, so that {@code baton rollback} restarts exactly that and
 * never a re-reading of today's baton.yml (whose {@code ${VERSION}} has moved on).
 *
 * @param services per service: the image and command it ran
 * @param envDigest a digest of the services' resolved environment (the values are never stored: they hold secrets)
 * @param release the release that started it
 * @param commit the git commit deployed, or null
 * @param revision the schema heads it was deployed with, or null
 * @param startedAt when (ISO-8601)
 * @param version the version deployed ({@code baton deploy --version}), or null for a colour deployed before Baton
 *     recorded versions
 * @param runtime what started it ({@code [process]}, or {@code [docker, <app>, <cli>, <its args>...]}), so that it is
 *     stopped by the same after baton.yml's {@code runtime:} (or its {@code app}, which names containers) changed;
 *     empty for a colour recorded before Baton kept it
 * @param hosts the servers (baton.yml's host names) it was started on; empty for a colour recorded before Baton kept them
 * @param validate the public paths it was validated on (its version's own), or null for a colour recorded before
 */
public record ColourRun(Map<String, ServiceRun> services, String envDigest, String release, String commit, String revision,
                        String startedAt, String version, List<String> runtime, List<String> hosts, List<String> validate) {
    public ColourRun {
        services = Collections.unmodifiableMap(new LinkedHashMap<>(services));
        runtime = runtime == null ? List.of() : List.copyOf(runtime);
        hosts = hosts == null ? List.of() : List.copyOf(hosts);
        validate = validate == null ? null : List.copyOf(validate);
    }

    public ColourRun(Map<String, ServiceRun> services, String envDigest, String release, String commit, String revision,
                     String startedAt, String version) {
        this(services, envDigest, release, commit, revision, startedAt, version, List.of(), List.of(), null);
    }

    /** The same run, recorded as started by {@code runtime}. */
    public ColourRun by(List<String> runtime) {
        return new ColourRun(services, envDigest, release, commit, revision, startedAt, version, runtime, hosts, validate);
    }

    /** The same run, recorded as started on {@code hosts}. */
    public ColourRun on(List<String> hosts) {
        return new ColourRun(services, envDigest, release, commit, revision, startedAt, version, runtime, hosts, validate);
    }

    /** The same run, recorded as validated on {@code paths}. */
    public ColourRun validated(List<String> paths) {
        return new ColourRun(services, envDigest, release, commit, revision, startedAt, version, runtime, hosts, paths);
    }

    /**
     * @param image the image (docker runtime), or null
     * @param command the command it ran (empty: the image's own)
     * @param workDir the folder it ran in when that was a release's ({@code runtime.release}), else null
     * @param port the port it listens on, or null for a colour recorded before Baton kept it
     * @param health the paths it answered before it got traffic (its version's own), or null for one recorded before
     * @param warmup the paths it was warmed up with (its version's own), or null: none, or recorded before
     * @param envTags per key of its environment, a tag of its value ({@link #tag}: too short to tell a secret by,
     *     enough to name the key whose value changed since), or null for one recorded before
     */
    public record ServiceRun(String image, List<String> command, String workDir, Integer port, List<String> health,
                             List<String> warmup, Map<String, String> envTags) {
        public ServiceRun(String image, List<String> command) {
            this(image, command, null, null, null, null, null);
        }

        public ServiceRun(String image, List<String> command, String workDir) {
            this(image, command, workDir, null, null, null, null);
        }

        public ServiceRun(String image, List<String> command, String workDir, Integer port) {
            this(image, command, workDir, port, null, null, null);
        }

        public ServiceRun {
            command = List.copyOf(command);
            health = health == null ? null : List.copyOf(health);
            warmup = warmup == null ? null : List.copyOf(warmup);
            envTags = envTags == null ? null : Collections.unmodifiableMap(new TreeMap<>(envTags));
        }
    }

    /** What the services as configured now would start. */
    public static ColourRun of(Collection<ServiceSpec> services, String release, String commit, String revision, String at,
                               String version) {
        return of(services, release, commit, revision, at, version, false);
    }

    /** @param releaseFolder whether the services run in a release's folder (recorded, so a rollback starts there) */
    public static ColourRun of(Collection<ServiceSpec> services, String release, String commit, String revision, String at,
                               String version, boolean releaseFolder) {
        return of(services, null, release, commit, revision, at, version, releaseFolder);
    }

    /** @param colour the colour they run as, whose ports are recorded (null: none recorded) */
    public static ColourRun of(Collection<ServiceSpec> services, String colour, String release, String commit, String revision,
                               String at, String version, boolean releaseFolder) {
        Map<String, ServiceRun> runs = new LinkedHashMap<>();
        for (ServiceSpec s : services) {
            runs.put(s.name(), new ServiceRun(s.image(), s.argv(), releaseFolder ? s.workDir().toString() : null,
                    colour == null ? null : s.port(colour), s.health(), s.warmup() == null ? null : s.warmup().paths(), tags(s)));
        }
        return new ColourRun(runs, envDigest(services), release, commit, revision, at, version);
    }

    /** The same run, listening on the ports {@code services} give {@code colour} (a rollback started it again on them). */
    public ColourRun onPorts(Collection<ServiceSpec> services, String colour) {
        Map<String, ServiceRun> runs = new LinkedHashMap<>(this.services);
        for (ServiceSpec s : services) {
            ServiceRun r = runs.get(s.name());
            if (r != null) {
                runs.put(s.name(), new ServiceRun(r.image(), r.command(), r.workDir(), s.ports().get(colour), r.health(), r.warmup(),
                        r.envTags()));
            }
        }
        return new ColourRun(runs, envDigest, release, commit, revision, startedAt, version, runtime, hosts, validate);
    }

    /**
     * {@code today}'s services as this colour was started: not one added since, which never ran on
     * it, and with its version's own health and warm-up paths; all of {@code today} when nothing is recorded.
     */
    public List<ServiceSpec> asStarted(Collection<ServiceSpec> today) {
        List<ServiceSpec> out = today.stream().filter(s -> services.containsKey(s.name())).map(this::restore).toList();
        return out.isEmpty() ? List.copyOf(today) : out;
    }

    /**
     * What baton.yml says of {@code colour}'s ports that differs from where its services were
     * started ({@code services.api.ports.blue is 9000 in baton.yml, but blue was started on 8000}).
     */
    public List<String> movedPorts(Collection<ServiceSpec> today, String colour) {
        List<String> moved = new ArrayList<>();
        for (ServiceSpec s : today) {
            ServiceRun r = services.get(s.name());
            Integer now = s.ports().get(colour); // null: the colours were renamed, which is said elsewhere
            if (r != null && r.port() != null && now != null && !r.port().equals(now)) {
                moved.add("services." + s.name() + ".ports." + colour + " is " + now + " in baton.yml, but " + colour
                        + "'s " + s.name() + " was started on " + r.port());
            }
        }
        return moved;
    }

    /**
     * The service as it was started then: today's ports and environment (with its own version where a
     * value names {@code ${baton.version}}), that day's image, command, health checks and warm-up paths
     * (an older version need not answer a path added since).
     */
    public ServiceSpec restore(ServiceSpec today) {
        ServiceRun r = services.get(today.name());
        if (r == null) {
            return today; // a service added since: it never ran on this colour
        }
        return new ServiceSpec(today.name(), r.command(), today.envOf(version), r.workDir() == null ? today.workDir() : Path.of(r.workDir()),
                today.ports(), r.health() == null ? today.health() : r.health(), today.staticFrom(), today.staticTo(),
                today.staticOwner(), today.stopGrace(), r.image(), r.warmup() == null || r.warmup().isEmpty() ? today.warmup()
                : new Warmup(r.warmup(), today.warmup() == null ? Warmup.DEFAULT_REQUESTS : today.warmup().requests(),
                today.warmup() == null ? Warmup.DEFAULT_CONCURRENCY : today.warmup().concurrency()), today.staticSudo(), today.startLow(),
                today.versionedEnv());
    }

    /**
     * Where the environment {@code today}'s services would start with again differs from what this
     * colour ran with ({@code services.api.env.VERSION}, a key added or removed since); empty when it is
     * the same. Only tags and a digest of the values were kept, so a change the tags cannot see but
     * the digest can is said without its key.
     */
    public List<String> envChanges(Collection<ServiceSpec> today) {
        List<ServiceSpec> restored = today.stream().filter(s -> services.containsKey(s.name())).map(this::restore).toList();
        List<String> changed = new ArrayList<>();
        for (ServiceSpec s : restored) {
            Map<String, String> was = services.get(s.name()).envTags();
            if (was == null) {
                continue; // recorded before tags: the digest below speaks for it
            }
            Map<String, String> now = tags(s);
            Set<String> keys = new TreeSet<>(was.keySet());
            keys.addAll(now.keySet());
            for (String k : keys) {
                if (!Objects.equals(was.get(k), now.get(k))) {
                    changed.add("services." + s.name() + ".env." + k + (was.get(k) == null ? " (added since)"
                            : now.get(k) == null ? " (removed since)" : ""));
                }
            }
        }
        boolean sameServices = restored.size() == services.size();
        if (changed.isEmpty() && envDigest != null && sameServices && !envDigest.equals(envDigest(restored))) {
            changed.add("a value of the services' env:");
        }
        return changed;
    }

    /** Per key of the service's environment, a tag of 8 bits of its value (with the service and key). */
    static Map<String, String> tags(ServiceSpec s) {
        Map<String, String> out = new TreeMap<>();
        s.env().forEach((k, v) -> out.put(k, tag(s.name(), k, v)));
        return out;
    }

    /**
     * 8 bits of SHA-256 over the service, key and value: a change of the value shows in its tag 255
     * times in 256 (the whole environment's digest catches the rest), while a secret cannot be told
     * from its tag, which 1 in 256 of all values share.
     */
    static String tag(String service, String key, String value) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update((service + "\0" + key + "\0" + value).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d.digest(), 0, 1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every JDK has SHA-256
        }
    }

    /**
     * The services this colour was started with that baton.yml no longer has (renamed or
     * removed since), as far as it takes to stop them: their name, image, command and port.
     * A deploy that replaces the colour stops them too, instead of leaving them running unseen.
     */
    public List<ServiceSpec> removed(Collection<ServiceSpec> today, String colour) {
        List<ServiceSpec> out = new ArrayList<>();
        for (Map.Entry<String, ServiceRun> e : services.entrySet()) {
            if (today.stream().noneMatch(s -> s.name().equals(e.getKey()))) {
                ServiceRun r = e.getValue();
                out.add(new ServiceSpec(e.getKey(), r.command(), Map.of(), Path.of(r.workDir() == null ? "." : r.workDir()),
                        r.port() == null ? Map.of() : Map.of(colour, r.port()), List.of(), null, null, null,
                        Duration.ofSeconds(10), r.image(), null));
            }
        }
        return out;
    }

    /** A label for people: the images and the version, else the release. */
    public String label() {
        List<String> parts = new ArrayList<>(services.values().stream().map(ServiceRun::image).filter(i -> i != null).distinct().toList());
        if (version != null) {
            parts.add("version " + version);
        }
        return parts.isEmpty() ? "release " + release : String.join(", ", parts);
    }

    /** SHA-256 of every service's environment, keys sorted: the same digest means the same environment. */
    public static String envDigest(Collection<ServiceSpec> services) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            for (ServiceSpec s : services) {
                d.update((s.name() + "\0").getBytes(StandardCharsets.UTF_8));
                for (var e : new TreeMap<>(s.env()).entrySet()) {
                    d.update((e.getKey() + "=" + e.getValue() + "\0").getBytes(StandardCharsets.UTF_8));
                }
            }
            return "sha256:" + HexFormat.of().formatHex(d.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every JDK has SHA-256
        }
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        Map<String, Object> svc = new LinkedHashMap<>();
        services.forEach((name, r) -> {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("image", r.image());
            one.put("command", new ArrayList<Object>(r.command()));
            if (r.workDir() != null) {
                one.put("dir", r.workDir());
            }
            if (r.port() != null) {
                one.put("port", r.port());
            }
            if (r.health() != null) {
                one.put("health", new ArrayList<Object>(r.health()));
            }
            if (r.warmup() != null) {
                one.put("warmup", new ArrayList<Object>(r.warmup()));
            }
            if (r.envTags() != null) {
                one.put("env_tags", new LinkedHashMap<String, Object>(r.envTags()));
            }
            svc.put(name, one);
        });
        m.put("services", svc);
        m.put("env_digest", envDigest);
        m.put("release", release);
        m.put("commit", commit);
        m.put("revision", revision);
        m.put("started_at", startedAt);
        m.put("version", version);
        if (!runtime.isEmpty()) {
            m.put("runtime", new ArrayList<Object>(runtime));
        }
        if (!hosts.isEmpty()) {
            m.put("hosts", new ArrayList<Object>(hosts));
        }
        if (validate != null) {
            m.put("validate", new ArrayList<Object>(validate));
        }
        return m;
    }

    @SuppressWarnings("unchecked")
    static Optional<ColourRun> fromMap(Object o) {
        if (!(o instanceof Map<?, ?> m)) {
            return Optional.empty();
        }
        Map<String, ServiceRun> runs = new LinkedHashMap<>();
        if (m.get("services") instanceof Map<?, ?> svc) {
            svc.forEach((name, v) -> {
                Map<String, Object> one = (Map<String, Object>) v;
                List<String> cmd = one.get("command") instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of();
                runs.put(String.valueOf(name), new ServiceRun(one.get("image") == null ? null : one.get("image").toString(), cmd,
                        one.get("dir") == null ? null : one.get("dir").toString(),
                        one.get("port") instanceof Number n ? Integer.valueOf(n.intValue()) : null,
                        one.get("health") instanceof List<?> h ? h.stream().map(String::valueOf).toList() : null,
                        one.get("warmup") instanceof List<?> w ? w.stream().map(String::valueOf).toList() : null,
                        one.get("env_tags") instanceof Map<?, ?> t ? strings(t) : null));
            });
        }
        return Optional.of(new ColourRun(runs, DeployState.str(m, "env_digest"), DeployState.str(m, "release"),
                DeployState.str(m, "commit"), DeployState.str(m, "revision"), DeployState.str(m, "started_at"),
                DeployState.str(m, "version"), strings(m.get("runtime")), strings(m.get("hosts")),
                m.get("validate") instanceof List<?> ? strings(m.get("validate")) : null));
    }


    private static Map<String, String> strings(Map<?, ?> m) {
        Map<String, String> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(String.valueOf(k), String.valueOf(v)));
        return out;
    }

    private static List<String> strings(Object o) {
        return o instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of();
    }
}
