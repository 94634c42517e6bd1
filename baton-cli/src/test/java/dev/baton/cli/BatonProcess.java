package dev.baton.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.TimeUnit;

/** Runs the built baton.jar as a user would: a separate JVM, real exit code, real stdout and stderr. */
public final class BatonProcess {
    /**
     * The JVM options of the tests' short-lived JVMs (CLIs, routers, colours; each lives seconds): the
     * ./baton launcher's JIT options (C1 only, and only for code that runs often), one compiler thread,
     * no performance-counter file. A sixth less CPU per colour than C1 alone. docs/benchmarks.md.
     */
    static final List<String> SHORT_LIVED = List.of("-XX:TieredStopAtLevel=1", "-XX:Tier3InvocationThreshold=2000",
            "-XX:Tier3MinInvocationThreshold=1000", "-XX:Tier3CompileThreshold=10000", "-XX:Tier3BackEdgeThreshold=100000",
            "-XX:CICompilerCount=1", "-XX:-UsePerfData", "-XX:+UseSerialGC");

    /**
     * How long a command may take before the test gives up on it: far above any command's time alone
     * (the demo's three deploys under load, the longest, take 15-40 s), because beside two other IT
     * classes on a slow two-core machine the same command took over 120 s.
     */
    private static final int LIMIT_SECONDS = 300;

    /**
     * SIGINT at its default, as in a terminal: a suite started in the background (`mvn verify &` from
     * a script) passes an ignored SIGINT down, and the JVM then keeps ignoring Ctrl-C. coreutils
     * 8.31 or later; without it, the CLIs inherit what the suite has.
     */
    private static final List<String> DEFAULT_SIGINT = defaultSigint();

    private static List<String> defaultSigint() {
        List<String> env = List.of("env", "--default-signal=INT");
        try {
            Process p = new ProcessBuilder("env", "--default-signal=INT", "true").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? env : List.of();
        } catch (IOException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    static final Path JAR = Path.of(System.getProperty("baton.jar", "target/baton.jar"));

    public record Result(int exitCode, String out, String err) {}

    private BatonProcess() {}

    public static ProcessBuilder builder(Path workDir, Map<String, String> env, String... args) {
        return builder(workDir, env, ClassArchives.use(args), args);
    }

    private static ProcessBuilder builder(Path workDir, Map<String, String> env, List<String> archive, String... args) {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR + " is missing: run the tests with ./mvnw verify, which builds it first");
        }
        List<String> cmd = new ArrayList<>(DEFAULT_SIGINT);
        cmd.add(javaBin());
        cmd.addAll(SHORT_LIVED);
        cmd.addAll(archive);
        cmd.addAll(List.of("-jar", JAR.toAbsolutePath().toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile());
        pb.environment().remove("BATON_DATABASE_URL");
        pb.environment().putAll(env);
        withRouterArchive(pb.environment(), env, args);
        return pb;
    }

    public static Result run(Path workDir, Map<String, String> env, String... args) throws Exception {
        Path out = Files.createTempFile("baton-out", ".txt");
        Path err = Files.createTempFile("baton-err", ".txt");
        try {
            ClassArchives.Recording recording = ClassArchives.record(args);
            Process p = builder(workDir, env, recording.options(), args)
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS)) {
                // SIGTERM first, as Ctrl-C would: a demo or deploy then stops what it started (SIGKILL left
                // a demo's router running after the test) ...
                p.destroy();
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
                // ... and what it printed says where it stood: a slow machine, or a step that never ends
                throw new AssertionError("baton " + String.join(" ", args) + " did not finish in " + LIMIT_SECONDS + " s; its stderr so far:\n"
                        + Files.readString(err, StandardCharsets.UTF_8));
            }
            recording.done();
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /**
     * Runs a command in this JVM, as the jar's main would (the same {@link Baton#execute}), for tests
     * that need no process of its own: config errors, status, history, and deploys that no test
     * interrupts. Much cheaper than a JVM start. The commands a deploy runs inherit this JVM's
     * environment, not {@code env} (which is the command's own): a test that sets variables for
     * them runs the CLI as a process ({@link #run}). The router a deploy starts runs baton.jar.
     */
    public static Result inProcess(Path workDir, Map<String, String> env, String... args) {
        Map<String, String> all = new HashMap<>(System.getenv());
        all.remove("BATON_DATABASE_URL");
        all.putAll(env);
        withRouterArchive(all, env, args);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Cli cli = new Cli(new PrintWriter(out, true), new PrintWriter(err, true), all, workDir,
                List.of(javaBin(), "-cp", JAR.toAbsolutePath().toString(), Main.class.getName()), false);
        FutureTask<Integer> command = new FutureTask<>(() -> Baton.execute(cli, args));
        Thread t = new Thread(command, "baton-" + (args.length > 0 ? args[0] : "")); // a thread of its own, to give up on
        t.setDaemon(true);
        t.start();
        try {
            return new Result(command.get(LIMIT_SECONDS, TimeUnit.SECONDS), out.toString(), err.toString());
        } catch (TimeoutException e) {
            t.interrupt();
            throw new AssertionError("baton " + String.join(" ", args) + " did not finish in " + LIMIT_SECONDS + " s:\n" + err);
        } catch (ExecutionException e) {
            throw new AssertionError("baton " + String.join(" ", args) + " threw (" + e.getCause() + "):\n" + err, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for baton " + String.join(" ", args), e);
        }
    }

    /** The tests' class-data archive for the routers a deploy, rollback or recovery may start, unless {@code own} sets their options. */
    private static void withRouterArchive(Map<String, String> all, Map<String, String> own, String... args) {
        if (args.length == 0 || !Set.of("deploy", "rollback", "recover").contains(args[0]) || own.containsKey(RouterArchive.JAVA_OPTS)) {
            return;
        }
        String options = RouterArchive.withArchive(all.get(RouterArchive.JAVA_OPTS));
        if (options != null) {
            all.put(RouterArchive.JAVA_OPTS, options);
        }
    }

    static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
