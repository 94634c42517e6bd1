package dev.baton.deploy.steps;

import dev.baton.deploy.DeployContext;
import dev.baton.deploy.Step;
import dev.baton.deploy.config.ServiceSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Reference step 9: each service's static assets are copied to {@code <static.to>/<colour>},
 * a folder of the target colour's own, so the old colour's assets keep serving until the switch.
 */
public final class PublishStatic implements Step<DeployContext> {
    @Override
    public String name() {
        return "PublishStatic";
    }

    @Override
    public String run(DeployContext ctx) throws IOException {
        int files = 0;
        boolean any = false;
        for (ServiceSpec s : ctx.config().services().values()) {
            if (s.staticFrom() == null) {
                continue;
            }
            any = true;
            if (!Files.isDirectory(s.staticFrom())) {
                throw new IllegalStateException("services." + s.name() + ".static.from: " + s.staticFrom()
                        + " is not a folder; build the assets first (build: in baton.yml)");
            }
            Path dest = s.staticTo().resolve(ctx.target());
            delete(dest);
            files += copy(s.staticFrom(), dest);
            ctx.log().line("published " + s.staticFrom() + " to " + dest);
        }
        return any ? files + " files to " + ctx.target() : SKIPPED;
    }

    private static int copy(Path from, Path to) throws IOException {
        int[] n = {0};
        try (Stream<Path> all = Files.walk(from)) {
            all.forEach(p -> {
                try {
                    Path dest = to.resolve(from.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(dest);
                    } else {
                        Files.copy(p, dest, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                        n[0]++;
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return n[0];
    }

    private static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
