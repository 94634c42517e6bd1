package dev.baton.cli.deploy;

import dev.baton.ExitCode;
import dev.baton.Json;
import dev.baton.cli.Cli;
import dev.baton.deploy.DeployStatus;
import dev.baton.deploy.Wiring;
import dev.baton.deploy.config.DeployConfig;
import dev.baton.deploy.config.HostSpec;
import dev.baton.deploy.port.RouterView;
import dev.baton.deploy.state.DeployState;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;


/** {@code baton status}: what serves now, what runs, the schema, and who holds the deploy lock. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Show what serves, what runs, the schema revision and the deploy lock.", "",
                "The active colour (from the state file and from the router), which colours of each",
                "service run, what each colour was last started with (image or release), the schema's",
                "applied revision, the last release, the deploy lock's holder, and a deploy in progress",
                "or one that was killed (then: baton recover)."},
        footerHeading = "%nExit codes:%n",
        footer = {"  0  everything shown was read", "  1  something could not be read (the database or a host does not answer):",
                "     it is shown as unknown and named on stderr; or a killed or failed deploy is unsettled, or what",
                "     serves is not what state.json says (both: baton recover)", "  2  bad configuration"})
public final class StatusCommand implements Callable<Integer> {
    private final Cli cli;

    @Mixin
    ConfigOption config;

    @Option(names = "--json", description = "print the status as JSON on stdout")
    boolean json;

    public StatusCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        DeployConfig cfg = config.readToShow(cli);
        // one SSH connection per host for everything status reads
        DeployStatus status = DeployStatus.read(cfg, Deployments.servers(cli, cfg), Wiring.lock(cfg));
        if (json) {
            cli.out().println(Json.write(status.toMap()));
        } else {
            print(status);
            leftBehind(cfg, status.state());
        }
        cli.out().flush();
        // what is shown is incomplete: a script must not take it for the whole truth
        return status.unreadable().isEmpty() && status.interrupted().isEmpty() && status.disagreements().isEmpty()
                ? 0 : ExitCode.FAILED.code();
    }

    private void print(DeployStatus st) {
        var out = cli.out();
        DeployState state = st.state();
        RouterView r = st.router();
        out.println("app:       " + st.app());
        out.println("active:    " + (state.active() == null ? "(never deployed)" : state.active())
                + (state.previous() == null ? "" : "  (previous: " + state.previous() + ")"));
        out.println("router:    " + (r.running() && r.active() == null ? "running, but serving no colour at " + st.url()
                : r.running() ? "serving " + r.active() + " at " + st.url() + ", in flight " + new TreeMap<>(r.inFlight())
                : r.error() != null ? r.error()
                : "not running (" + (state.active() == null ? "the first baton deploy" : "baton recover") + " starts it)"));
        out.println("release:   " + (state.release() == null ? "-" : state.release() + " at " + state.deployedAt()));
        out.println("revision:  " + (st.revision() == null ? "-" : st.revision()));
        st.lastLine().ifPresent(l -> out.println("last:      " + l));
        state.colours().forEach((c, run) -> out.println(String.format("version:   %-10s %s (release %s%s)", c,
                run.version() != null ? run.version() : run.label(),
                run.release(), run.commit() == null ? "" : ", commit " + run.commit())));
        st.journal().ifPresent(j -> out.println(j.writerAlive()
                ? "deploying: " + j.kind() + " " + j.release() + " by pid " + j.pid() + ", at " + j.step()
                : j.failed() ? "UNSETTLED: " + j.kind() + " " + j.release() + " " + j.how() + "; once that is fixed, run"
                        + " baton recover to finish its undo (the next deploy or rollback also does it first)"
                : "INTERRUPTED: " + j.kind() + " " + j.release() + " was " + j.how() + " (pid " + j.pid()
                        + " is gone); run baton recover (the next deploy or rollback also does it first)"));
        st.services().forEach((name, colours) -> {
            StringBuilder line = new StringBuilder(String.format("service:   %-10s", name));
            colours.forEach((c, run) -> line.append(' ').append(c).append('=').append(run.error() != null ? "unknown"
                    : !run.running() ? "stopped"
                    : run.pid() != null ? "running(pid " + run.pid() + ", port " + run.port() + ")"
                    : "{port=" + run.port() + ", host=" + run.host() + "}"));
            out.println(line);
        });
        st.hosts().forEach((name, h) -> out.println(String.format("host:      %-10s %s", name, h.error() != null
                ? "{error=" + h.error() + "}" : h.added() ? "{new: serves nothing yet; the next deploy gives it the new colour}"
                : "{router=" + h.router() + ", running=" + h.running() + "}")));
        out.println("lock:      " + (st.lockHolder() == null ? "free" : st.lockHolder().startsWith("unknown: ")
                ? "unknown (" + st.lockHolder().substring("unknown: ".length()) + ")" : "held by " + st.lockHolder()));
        if (st.interrupted().isPresent()) {
            cli.err().println("error: " + st.interrupted().get().what() + " left the app unsettled; run: baton recover");
        }
        if (st.interrupted().isEmpty()) {
            st.disagreements().forEach(d -> cli.err().println("error: " + d.what() + (d.command() ? "; run: " : "; ") + d.fix()));
        }
        if (!st.unreadable().isEmpty()) {
            cli.err().println("error: baton status could not read all it shows:");
            st.unreadable().forEach(u -> cli.err().println("  " + u));
        }
    }

    /** Servers a colour was started on that baton.yml's hosts no longer name: Baton leaves them as they are, and says so. */
    private void leftBehind(DeployConfig cfg, DeployState state) {
        List<String> now = cfg.hosts().stream().map(HostSpec::name).toList();
        Set<String> said = new HashSet<>();
        List<String> newestFirst = new ArrayList<>();
        Stream.of(state.active(), state.previous()).filter(Objects::nonNull).forEach(newestFirst::add);
        for (String colour : newestFirst) {
            state.colour(colour).ifPresent(run -> run.hosts().stream().filter(h -> !now.contains(h) && said.add(h))
                    .forEach(h -> cli.out().println(String.format("host:      %-10s %s", h, "{no longer in hosts: it was given "
                            + colour + ", which it may still serve; Baton leaves it as it is (docs/deploy.md, Several servers)}"))));
        }
    }
}
