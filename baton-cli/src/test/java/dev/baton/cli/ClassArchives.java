package dev.baton.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A class-data archive per baton command for the CLI processes the tests start, as the {@code baton}
 * launcher keeps one for users: the tests start hundreds of them on two cores, and each loads and links
 * the same classes again without one. The first finished run of a command records its archive
 * beside the jar; later runs map it.
 */
final class ClassArchives {
    private static final Set<String> KINDS = Set.of("deploy", "rollback", "recover", "status", "history", "migrate",
            "proxy", "demo", "init");
    /** Commands whose archive one run of this JVM is recording now. */
    private static final Set<String> RECORDING = ConcurrentHashMap.newKeySet();
    /** As the launcher: no JVM warning (an archive of a rebuilt jar is ignored with one) on stdout or stderr. */
    private static final List<String> QUIET = List.of("-Xshare:auto", "-Xlog:disable", "-Xlog:all=error:stderr");

    /**
     * The JVM options of a run: it maps its command's archive, or records it; {@link #done} keeps what
     * it recorded once it has exited.
     */
    record Recording(List<String> options, Runnable keep) {
        void done() {
            keep.run();
        }
    }

    private ClassArchives() {}

    /** The options that map this command's archive, if one was recorded for this jar. */
    static List<String> use(String... args) {
        Path jsa = archive(args);
        return isCurrent(jsa) ? concat(QUIET, "-XX:SharedArchiveFile=" + jsa) : QUIET;
    }

    /** Options that record this command's archive when there is none and no other run records it. */
    static Recording record(String... args) {
        Path jsa = archive(args);
        String kind = jsa.getFileName().toString();
        if (isCurrent(jsa) || !RECORDING.add(kind)) {
            return new Recording(use(args), () -> {});
        }
        Path tmp = jsa.resolveSibling(kind + "." + ProcessHandle.current().pid() + ".tmp");
        return new Recording(concat(QUIET, "-XX:ArchiveClassesAtExit=" + tmp), () -> {
            try {
                if (Files.isRegularFile(tmp)) {
                    Files.move(tmp, jsa, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                RECORDING.remove(kind);
            }
        });
    }

    private static Path archive(String... args) {
        String kind = args.length > 0 && KINDS.contains(args[0]) ? args[0] : "other";
        Path jar = BatonProcess.JAR.toAbsolutePath();
        return jar.resolveSibling(jar.getFileName() + "." + kind + ".test.jsa");
    }

    private static boolean isCurrent(Path jsa) {
        try {
            return Files.isRegularFile(jsa)
                    && Files.getLastModifiedTime(jsa).compareTo(Files.getLastModifiedTime(BatonProcess.JAR)) >= 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static List<String> concat(List<String> a, String b) {
        List<String> all = new java.util.ArrayList<>(a);
        all.add(b);
        return all;
    }
}
