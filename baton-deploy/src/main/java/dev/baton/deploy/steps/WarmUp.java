package dev.baton.deploy.steps;

import dev.baton.BatonException;
import dev.baton.ExitCode;
import dev.baton.Http;
import dev.baton.deploy.config.ServiceSpec;
import dev.baton.deploy.config.Warmup;
import dev.baton.deploy.pipeline.DeployContext;
import dev.baton.deploy.pipeline.Server;
import dev.baton.deploy.pipeline.Step;
import dev.baton.deploy.pipeline.StepPlan;
import dev.baton.deploy.pipeline.StepResult;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Not in the reference pipeline: after the migration and before traffic moves, each service's
 * {@code warmup} paths are requested on the new colour's own port, so the first users after the
 * switch do not pay for a cold start (class loading, JIT, empty connection pools). It is also a
 * last check against the migrated schema: an answer other than 2xx or 3xx fails the deploy while
 * the old colour still serves everyone.
 */
public final class WarmUp implements Step<DeployContext> {
    private static final Duration CONNECT = Duration.ofSeconds(2);

    @Override
    public String name() {
        return "WarmUp";
    }

    @Override
    public StepResult run(DeployContext ctx) {
        List<ServiceSpec> services = ctx.targetServices().stream().filter(s -> s.warmup() != null).toList();
        if (services.isEmpty()) {
            return StepResult.skipped();
        }
        long deadline = System.nanoTime() + ctx.config().deadlines().warmup().toNanos();
        Map<String, long[]> latencies = new ConcurrentHashMap<>(); // first server's, per service, in nanoseconds
        List<String> raised = new CopyOnWriteArrayList<>();
        Server.onEach(ctx.servers(), server -> {
            for (ServiceSpec s : services) {
                long[] took = warm(ctx, server, s, deadline, raised);
                if (server == ctx.first()) {
                    latencies.put(s.name(), took);
                }
            }
        });
        List<String> parts = new ArrayList<>();
        for (ServiceSpec s : services) {
            long[] took = latencies.get(s.name());
            int tenth = Math.max(1, took.length / 10);
            parts.add(s.name() + " " + took.length + " GETs, median " + ms(median(took, 0, tenth)) + " → "
                    + ms(median(took, took.length - tenth, took.length)) + " ms"
                    + (stillFaster(took) ? " (still getting faster at the end: more warmup.requests would spare the first users)" : ""));
        }
        parts.addAll(raised);
        return StepResult.done(String.join("; ", parts) + (ctx.servers().size() > 1 ? " (each of " + ctx.servers().size() + " hosts)" : ""));
    }

    /** Sends the service's warm-up GETs; returns each one's time in the order they were sent. */
    private static long[] warm(DeployContext ctx, Server server, ServiceSpec s, long deadline, List<String> raised) {
        Warmup w = s.warmup();
        URI base = server.host().reach(server.bind(), s.port(ctx.target()));
        int total = w.paths().size() * w.requests();
        long start = System.nanoTime();
        long[] took = new long[total];
        AtomicInteger next = new AtomicInteger();
        AtomicReference<String> failed = new AtomicReference<>();
        Runnable worker = () -> {
            for (int i = next.getAndIncrement(); i < total && failed.get() == null; i = next.getAndIncrement()) {
                if (Thread.currentThread().isInterrupted()) {
                    failed.compareAndSet(null, "interrupted (Ctrl-C or SIGTERM) during warm-up");
                    return;
                }
                String path = w.paths().get(i % w.paths().size());
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    failed.compareAndSet(null, "not done within " + ctx.config().deadlines().warmup().toSeconds()
                            + " s (deadlines.warmup) after " + i + " of " + total + " requests");
                    return;
                }
                long t0 = System.nanoTime();
                try {
                    Http.Response r = Http.get(base.resolve(path), Map.of(), CONNECT, Duration.ofNanos(left));
                    took[i] = System.nanoTime() - t0;
                    if (r.status() >= 400) {
                        String body = r.body().strip().replace('\n', ' ');
                        failed.compareAndSet(null, "answered HTTP " + r.status() + " to GET " + path
                                + (body.isEmpty() ? "" : ": " + (body.length() > 160 ? body.substring(0, 160) + "…" : body)));
                    }
                } catch (IOException e) {
                    failed.compareAndSet(null, "did not answer GET " + path + ": " + e.getClass().getSimpleName()
                            + (e.getMessage() == null ? "" : " " + e.getMessage()));
                }
            }
        };
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < Math.min(w.concurrency(), total); i++) {
            Thread t = new Thread(worker, "warmup-" + s.name() + "-" + i);
            t.setDaemon(true);
            t.start();
            workers.add(t);
        }
        long began = deadline - ctx.config().deadlines().warmup().toNanos();
        for (Thread t : workers) {
            try {
                while (t.isAlive()) { // a request may wait on a colour starved at low priority: see TargetPriority
                    t.join(100);
                    TargetPriority.raiseIfSlow(ctx, began, ctx.config().deadlines().warmup(), "deadlines.warmup")
                            .ifPresent(raised::add);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failed.compareAndSet(null, "interrupted (Ctrl-C or SIGTERM) during warm-up");
                workers.forEach(Thread::interrupt);
            }
        }
        if (failed.get() != null) {
            StringBuilder msg = new StringBuilder((ctx.servers().size() > 1 ? server.name() + ": " : "") + s.name() + " "
                    + ctx.target() + " " + failed.get() + " during warm-up (" + base + ")");
            AwaitHealthy.appendLogTail(msg, server, s, ctx.target());
            throw new BatonException(ExitCode.FAILED, msg.toString());
        }
        ctx.log().line("warm-up: " + (ctx.servers().size() > 1 ? server.name() + " " : "") + s.name() + " " + total
                + " GETs to " + base + " " + w.paths() + ", " + w.concurrency() + " at a time, "
                + ms(System.nanoTime() - start) + " ms");
        return took;
    }

    /**
     * Whether the last tenth of the requests was still clearly faster than the tenth before it: the
     * colour had not finished warming up (a JIT still compiling what they run). Judged from 100
     * requests on, where a tenth's median is steady enough.
     */
    static boolean stillFaster(long[] took) {
        if (took.length < 100) {
            return false;
        }
        int tenth = took.length / 10;
        long before = median(took, took.length - 2 * tenth, took.length - tenth);
        long last = median(took, took.length - tenth, took.length);
        return last * 4 < before * 3;
    }

    private static long median(long[] values, int from, int to) {
        long[] part = Arrays.copyOfRange(values, from, to);
        Arrays.sort(part);
        return part[part.length / 2];
    }

    private static String ms(long nanos) {
        return nanos >= 10_000_000 ? Long.toString(nanos / 1_000_000) : String.format(Locale.ROOT, "%.1f", nanos / 1e6);
    }

    @Override
    public StepPlan plan(DeployContext ctx) {
        List<String> notes = new ArrayList<>();
        for (ServiceSpec s : ctx.config().services().values()) {
            if (s.warmup() != null) {
                notes.add(s.name() + ": " + s.warmup().requests() + " GETs of each of " + s.warmup().paths() + " on port "
                        + s.port(ctx.target()) + ", " + s.warmup().concurrency() + " at a time, each 2xx/3xx");
            }
        }
        return notes.isEmpty() ? StepPlan.skipped(name(), "no warmup: in baton.yml") : StepPlan.runs(name(), notes, List.of());
    }
}
