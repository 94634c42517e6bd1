package dev.baton.deploy.steps;

import dev.baton.BatonException;
import dev.baton.ExitCode;
import dev.baton.deploy.config.ReleaseSettings;
import dev.baton.deploy.pipeline.DeployContext;
import dev.baton.deploy.pipeline.Step;
import dev.baton.deploy.pipeline.StepPlan;
import dev.baton.deploy.pipeline.StepResult;
import dev.baton.deploy.port.Command;
import dev.baton.deploy.port.CommandResult;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reference step 16: an annotated git tag for the release, its message the changelog since the
 * commit the previous release deployed, pushed to a remote if configured. Runs in the config's
 * folder, where Baton runs.
 */
public final class Release implements Step<DeployContext> {
    @Override
    public String name() {
        return "Release";
    }

    @Override
    public StepResult run(DeployContext ctx) {
        ReleaseSettings r = ctx.config().release();
        if (r == null) {
            return StepResult.skipped();
        }
        if (ctx.commit() == null) {
            throw new BatonException(ExitCode.FAILED, "release: " + ctx.config().dir() + " is not a git checkout with a commit; nothing to tag");
        }
        String tag = unique(ctx, tag(ctx, r));
        String previous = ctx.before().commit();
        List<String> log = previous == null ? List.of("git", "log", "-n", "50", "--pretty=format:- %s (%h)")
                : List.of("git", "log", "--pretty=format:- %s (%h)", previous + "..HEAD");
        CommandResult changes = git(ctx, log);
        String changelog = changes.ok() ? changes.output().strip() : "";
        int count = changelog.isEmpty() ? 0 : (int) changelog.lines().count();
        String message = ctx.config().app() + (ctx.config().version() == null ? "" : " " + ctx.config().version())
                + " (release " + ctx.release() + ") on " + ctx.target()
                + (changelog.isEmpty() ? "" : "\n\n" + changelog) + "\n";
        check(git(ctx, List.of("git", "tag", "-a", tag, "-m", message)), "git tag -a " + tag);
        if (r.push() != null) {
            check(git(ctx, List.of("git", "push", r.push(), "refs/tags/" + tag)), "git push " + r.push() + " " + tag);
        }
        ctx.log().line("release " + tag + ":\n" + message);
        return StepResult.done("tagged " + tag + " (" + count + " commit" + (count == 1 ? "" : "s") + (previous == null ? "" : " since " + previous) + ")"
                + (r.push() == null ? "" : ", pushed to " + r.push()));
    }

    /** The tag's name, its placeholders filled in now. */
    private static String tag(DeployContext ctx, ReleaseSettings r) {
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        return r.tag().replace("{release}", ctx.release()).replace("{colour}", ctx.target())
                .replace("{version}", ctx.config().version() == null ? ctx.release() : ctx.config().version())
                .replace("{date}", now.format(DateTimeFormatter.BASIC_ISO_DATE).substring(0, 8))
                .replace("{time}", now.format(DateTimeFormatter.ofPattern("HHmm")));
    }

    @Override
    public StepPlan plan(DeployContext ctx) {
        ReleaseSettings r = ctx.config().release();
        if (r == null) {
            return StepPlan.skipped(name(), "no release: in baton.yml");
        }
        String tag = tag(ctx, r);
        List<StepPlan.Planned> commands = new ArrayList<>();
        commands.add(StepPlan.Planned.of(ctx.here().name(), new Command(List.of("git", "tag", "-a", tag, "-m", "<changelog>"),
                Map.of(), ctx.config().dir(), Duration.ofMinutes(2))));
        if (r.push() != null) {
            commands.add(StepPlan.Planned.of(ctx.here().name(), new Command(List.of("git", "push", r.push(), "refs/tags/" + tag),
                    Map.of(), ctx.config().dir(), Duration.ofMinutes(2))));
        }
        return StepPlan.runs(name(), List.of("tags " + (ctx.commit() == null ? "(not a git checkout: the step would fail)"
                : "commit " + ctx.commit()) + " as " + tag + " (a -2, -3 … suffix if it exists), its message the changelog since "
                + (ctx.before().commit() == null ? "the last 50 commits" : ctx.before().commit())), commands);
    }

    /** The tag, or with a suffix (-2, -3...) when it exists already: two deploys in the same minute both get one. */
    private static String unique(DeployContext ctx, String tag) {
        String candidate = tag;
        for (int n = 2; git(ctx, List.of("git", "rev-parse", "-q", "--verify", "refs/tags/" + candidate)).ok(); n++) {
            candidate = tag + "-" + n;
        }
        return candidate;
    }

    private static CommandResult git(DeployContext ctx, List<String> argv) {
        return ctx.here().run(new Command(argv, Map.of(), ctx.config().dir(), Duration.ofMinutes(2)));
    }

    private static void check(CommandResult r, String what) {
        if (!r.ok()) {
            throw new BatonException(ExitCode.FAILED, "`" + what + "` failed:\n" + r.tail(5));
        }
    }
}
