package dev.baton.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the built baton.jar as a user would: a separate JVM, real exit code, real stdout and stderr. */
public final class BatonProcess {
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
        // the JIT options of the ./baton launcher (a short-lived CLI)
        List<String> cmd = new ArrayList<>(List.of(javaBin(), "-XX:TieredStopAtLevel=1", "-XX:Tier3InvocationThreshold=2000",
                "-XX:Tier3MinInvocationThreshold=1000", "-XX:Tier3CompileThreshold=10000", "-XX:Tier3BackEdgeThreshold=100000",
                "-XX:+UseSerialGC"));
        cmd.addAll(archive);
        cmd.addAll(List.of("-jar", JAR.toAbsolutePath().toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile());
        pb.environment().remove("BATON_DATABASE_URL");
        pb.environment().putAll(env);
        String routerOptions = RouterArchive.withArchive(pb.environment().get(RouterArchive.JAVA_OPTS));
        if (!env.containsKey(RouterArchive.JAVA_OPTS) && routerOptions != null) { // the routers this run may start: the tests' archive
            pb.environment().put(RouterArchive.JAVA_OPTS, routerOptions);
        }
        return pb;
    }

    public static Result run(Path workDir, Map<String, String> env, String... args) throws Exception {
        Path out = Files.createTempFile("baton-out", ".txt");
        Path err = Files.createTempFile("baton-err", ".txt");
        try {
            ClassArchives.Recording recording = ClassArchives.record(args);
            Process p = builder(workDir, env, recording.options(), args)
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("baton " + String.join(" ", args) + " did not finish in 120 s");
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
     * that need no process of its own: config errors, status, history. Much cheaper than a JVM start.
     */
    public static Result inProcess(Path workDir, Map<String, String> env, String... args) {
        Map<String, String> all = new HashMap<>(System.getenv());
        all.remove("BATON_DATABASE_URL");
        all.putAll(env);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Baton.execute(new Cli(new PrintWriter(out, true), new PrintWriter(err, true), all, workDir), args);
        return new Result(code, out.toString(), err.toString());
    }

    static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
