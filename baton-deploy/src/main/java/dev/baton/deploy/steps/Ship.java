package dev.baton.deploy.steps;

import dev.baton.BatonException;
import dev.baton.ExitCode;
import dev.baton.deploy.config.ReleaseUpload;
import dev.baton.deploy.config.ServiceSpec;
import dev.baton.deploy.pipeline.DeployContext;
import dev.baton.deploy.pipeline.Server;
import dev.baton.deploy.pipeline.Step;
import dev.baton.deploy.pipeline.StepPlan;
import dev.baton.deploy.pipeline.StepResult;
import dev.baton.deploy.port.CommandResult;
import dev.baton.deploy.port.ServiceRuntime;
import dev.baton.deploy.state.ColourRun;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Reference step 4's "push", without a registry ({@code runtime.ship: ssh}): each image the
 * services run is saved once on this machine, gzip-compressed, and streamed to every server that
 * lacks it (all at once, over the SSH connection each already has), which loads it. A server
 * whose image id already matches is skipped; after the load the id is checked.
 */
public final class Ship implements Step<DeployContext> {
    /** How often the console hears how far it got. */
    private static final long PROGRESS_NANOS = 500_000_000L;

    @Override
    public String name() {
        return "Ship";
    }

    @Override
    public StepResult run(DeployContext ctx) throws Exception {
        Optional<ServiceRuntime> source = ctx.shipFrom();
        ReleaseUpload release = ctx.config().releases();
        if (source.isEmpty() && release == null) {
            return StepResult.skipped();
        }
        List<String> done = new ArrayList<>();
        if (release != null) {
            done.add(shipRelease(ctx, release));
        }
        for (String image : source.isEmpty() ? List.<String>of() : images(ctx)) {
            String id = source.get().imageId(image).orElseThrow(() -> new BatonException(ExitCode.FAILED, "image " + image
                    + " is not on this machine, so it cannot be shipped; build it first (build: in baton.yml), or tag it as"
                    + " services name it"));
            List<Server> lacking = new CopyOnWriteArrayList<>();
            Server.onEach(ctx.servers(), s -> {
                if (!s.runtime().imageId(image).equals(Optional.of(id))) {
                    lacking.add(s);
                }
            });
            int had = ctx.servers().size() - lacking.size();
            if (lacking.isEmpty()) {
                done.add(image + " already on " + (had == 1 ? "the host" : "all " + had + " hosts"));
                continue;
            }
            List<Server> to = ctx.servers().stream().filter(lacking::contains).toList(); // in hosts: order
            long start = System.nanoTime();
            ServiceRuntime from = source.get();
            long bytes = send(ctx, image, out -> from.saveImage(image, out), true, to, (s, in) -> s.runtime().loadImage(in));
            Map<String, String> wrong = new ConcurrentHashMap<>();
            Server.onEach(to, s -> {
                Optional<String> now = s.runtime().imageId(image);
                if (!now.equals(Optional.of(id))) {
                    wrong.put(s.name(), now.map(i -> "has id " + i).orElse("does not have it"));
                }
            });
            if (!wrong.isEmpty()) {
                throw new BatonException(ExitCode.FAILED, "after loading " + image + " (id " + id + "): " + wrong
                        + "; nothing was started");
            }
            double secs = Math.max(1e-3, (System.nanoTime() - start) / 1e9);
            String names = String.join(", ", to.stream().map(Server::name).toList());
            ctx.log().line("shipped " + image + " (" + id + ") to " + names + ": " + bytes + " bytes compressed in "
                    + String.format("%.1f s", secs));
            done.add(image + " to " + names + " (" + mb(bytes) + " compressed, " + mb((long) (bytes / secs)) + "/s)"
                    + (had > 0 ? "; " + had + " had it" : ""));
        }
        return StepResult.done(String.join("; ", done));
    }

    /**
     * The release's files to {@code <root>/<version>} on each server that lacks them (a folder
     * there with its marker), then the oldest releases beyond {@code keep_releases} removed, never
     * one a colour runs.
     */
    private static String shipRelease(DeployContext ctx, ReleaseUpload release) throws Exception {
        String version = ctx.config().version();
        if (version == null) {
            throw new BatonException(ExitCode.FAILED, "runtime.release needs the deploy's version (baton deploy names one)");
        }
        String folder = release.folder(version);
        List<Server> lacking = new CopyOnWriteArrayList<>();
        Server.onEach(ctx.servers(), s -> {
            if (!s.host().run(ReleaseCommands.present(folder)).ok()) {
                lacking.add(s);
            }
        });
        List<Server> to = ctx.servers().stream().filter(lacking::contains).toList();
        String what = "release " + version;
        String detail;
        if (to.isEmpty()) {
            detail = what + " already on " + (ctx.servers().size() == 1 ? "the host" : "all " + ctx.servers().size() + " hosts");
        } else {
            Path from = release.from();
            String name = from.getFileName().toString();
            boolean gzipped = name.endsWith(".tar.gz") || name.endsWith(".tgz");
            if (!Files.exists(from)) {
                throw new BatonException(ExitCode.FAILED, "runtime.release: " + from + " does not exist; build it first (build: in baton.yml)");
            }
            long start = System.nanoTime();
            long bytes = send(ctx, what, out -> {
                if (Files.isDirectory(from)) {
                    CommandResult tar = ctx.here().pipe(ReleaseCommands.tar(from.toString()), null, out);
                    if (!tar.ok()) {
                        throw new BatonException(ExitCode.FAILED, "`tar -C " + from + " -cf - .` failed:\n" + tar.tail(5));
                    }
                } else {
                    Files.copy(from, out);
                }
            }, !gzipped, to, (s, in) -> {
                CommandResult r = s.host().pipe(ReleaseCommands.receive(release.root(), version), in, null);
                if (!r.ok()) {
                    throw new BatonException(ExitCode.FAILED, "unpacking into " + folder + " failed:\n" + r.tail(5));
                }
            });
            double secs = Math.max(1e-3, (System.nanoTime() - start) / 1e9);
            int had = ctx.servers().size() - to.size();
            detail = what + " to " + String.join(", ", to.stream().map(Server::name).toList()) + " (" + mb(bytes) + " compressed, "
                    + mb((long) (bytes / secs)) + "/s)" + (had > 0 ? "; " + had + " had it" : "");
        }
        List<String> inUse = new ArrayList<>(List.of(version));
        ctx.before().colours().values().stream().map(ColourRun::version).filter(v -> v != null).forEach(inUse::add);
        Server.onEach(ctx.servers(), s -> {
            CommandResult r = s.host().run(ReleaseCommands.prune(release.root(), release.keep(), inUse));
            if (!r.ok()) {
                ctx.log().line(s.name() + ": pruning old releases in " + release.root() + " failed (the deploy goes on): " + r.tail(3));
            }
        });
        ctx.log().line(detail + "; " + folder + " on each host, the newest " + release.keep() + " kept");
        return detail;
    }

    /** Writes a stream of bytes (an image archive, a release tar). */
    private interface Source {
        void writeTo(OutputStream out) throws Exception;
    }

    /** Reads one server's copy of the stream to its end. */
    private interface Load {
        void load(Server server, InputStream in) throws Exception;
    }

    /**
     * Writes {@code source} once and streams it, gzip-compressed unless it is already, to each
     * server's {@code load} at the same time; returns the size sent. A server whose load fails
     * stops being written to, and fails the step.
     */
    private static long send(DeployContext ctx, String what, Source source, boolean compress, List<Server> to, Load load)
            throws Exception {
        Map<String, Throwable> failed = new ConcurrentHashMap<>();
        List<Thread> loaders = new ArrayList<>();
        List<Sink> sinks = new ArrayList<>();
        for (Server s : to) {
            PipedInputStream in = new PipedInputStream(1 << 20);
            Sink sink = new Sink(s.name(), new PipedOutputStream(in));
            sinks.add(sink);
            Thread t = new Thread(() -> {
                try {
                    load.load(s, in);
                } catch (Throwable e) {
                    failed.put(s.name(), e);
                } finally {
                    sink.dead = true;
                    try {
                        in.close(); // the writer gets an error instead of blocking on a full pipe
                    } catch (IOException ignored) {
                        // closed
                    }
                }
            }, "ship-" + s.name());
            t.setDaemon(true);
            t.start();
            loaders.add(t);
        }
        Fanout fanout = new Fanout(sinks, ctx, what);
        try (OutputStream out = compress ? new GZIPOutputStream(fanout, 1 << 16) {
            {
                def.setLevel(Deflater.BEST_SPEED); // the network, not the CPU, should be the limit
            }
        } : fanout) {
            source.writeTo(out);
        } catch (Exception e) {
            if (failed.isEmpty()) {
                throw e;
            } // else the loads' failures are the story (the save stopped because no one read)
        } finally {
            fanout.closeAll();
            for (Thread t : loaders) {
                t.join();
            }
        }
        if (!failed.isEmpty()) {
            StringBuilder why = new StringBuilder("shipping " + what + " failed on " + String.join(", ", failed.keySet()) + ":");
            failed.forEach((host, e) -> why.append("\n  ").append(host).append(": ").append(BatonException.describe(e)));
            throw new BatonException(ExitCode.FAILED, why.append("\nnothing was started").toString());
        }
        return fanout.bytes;
    }

    private static final class Sink {
        final String host;
        final OutputStream out;
        volatile boolean dead;

        Sink(String host, OutputStream out) {
            this.host = host;
            this.out = out;
        }
    }

    /** Writes every byte to each server's pipe that still reads, counting them and telling the console. */
    private static final class Fanout extends OutputStream {
        private final List<Sink> sinks;
        private final DeployContext ctx;
        private final String image;
        private final long start = System.nanoTime();
        private long lastProgress = start;
        long bytes;

        Fanout(List<Sink> sinks, DeployContext ctx, String image) {
            this.sinks = sinks;
            this.ctx = ctx;
            this.image = image;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            boolean any = false;
            for (Sink s : sinks) {
                if (s.dead) {
                    continue;
                }
                try {
                    s.out.write(b, off, len);
                    any = true;
                } catch (IOException e) {
                    s.dead = true; // its load failed: the others go on, the step fails at the end
                }
            }
            if (!any) {
                throw new IOException("every server's load stopped reading");
            }
            bytes += len;
            long now = System.nanoTime();
            if (now - lastProgress > PROGRESS_NANOS) {
                lastProgress = now;
                double secs = (now - start) / 1e9;
                ctx.progress("Ship", image + ": " + mb(bytes) + " sent, " + mb((long) (bytes / secs)) + "/s");
            }
        }

        void closeAll() {
            for (Sink s : sinks) {
                try {
                    s.out.close();
                } catch (IOException ignored) {
                    // its reader is gone
                }
            }
        }
    }

    private static List<String> images(DeployContext ctx) {
        return ctx.config().services().values().stream().map(ServiceSpec::image).filter(i -> i != null).distinct().toList();
    }

    static String mb(long bytes) {
        return String.format("%.1f MB", bytes / 1e6);
    }

    @Override
    public StepPlan plan(DeployContext ctx) {
        ReleaseUpload release = ctx.config().releases();
        if (ctx.shipFrom().isEmpty() && release == null) {
            return StepPlan.skipped(name(), ctx.config().docker() != null ? "runtime.ship is not ssh: the servers pull the images"
                    + " themselves" : "no runtime.release: the services run from the config's folder");
        }
        List<String> notes = new ArrayList<>();
        if (release != null) {
            notes.add(release.from() + " → " + release.folder(String.valueOf(ctx.config().version())) + " on each host that lacks it"
                    + " (gzip tar over SSH); the services start there; the newest " + release.keep() + " releases are kept");
        }
        if (ctx.shipFrom().isEmpty()) {
            return StepPlan.runs(name(), notes, List.of());
        }
        for (String image : images(ctx)) {
            notes.add(image + ": saved here, gzip-compressed, and loaded on each of " + String.join(", ",
                    ctx.servers().stream().map(Server::name).toList()) + " that lacks it (same image id: skipped)");
        }
        return StepPlan.runs(name(), notes, List.of());
    }
}
