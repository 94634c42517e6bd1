package dev.baton.deploy.steps;

import dev.baton.BatonException;
import dev.baton.deploy.config.ServiceSpec;
import dev.baton.deploy.state.DeployState;
import java.util.Collection;
import java.util.List;

/**
 * A colour that runs listens on the ports it was started with. baton.yml edited since must not
 * move them under it: its health would be checked, and traffic sent back to it, where nothing
 * listens. The other colour's ports may change in any deploy (the switch gives the router the
 * new ones), so a port moves in two deploys, each colour's while it does not serve.
 */
public final class MovedPorts {
    private MovedPorts() {}

    /**
     * Refuses (exit 2, before anything changes) when {@code colour}, which serves, is not a colour
     * of baton.yml any more (its ports were renamed): its health could not be checked, nor traffic
     * sent back to it. A colour is renamed, as a port moves, while it does not serve.
     */
    public static void refuseRenamed(String colour, List<String> colours, String how) {
        if (colour != null && !colours.contains(colour)) {
            throw BatonException.usage(colour + " " + how + ", but it is not a colour of baton.yml any more (services.*.ports name "
                    + String.join(" and ", colours) + "): a colour cannot be renamed while it " + how + ". Write " + colour
                    + " back in place of one of them for now (e.g. ports: {" + colour + ": <its port>, " + colours.get(colours.size() - 1)
                    + ": ...}); the other may be renamed now, and " + colour + " in the deploy after, once it no longer serves");
        }
    }

    /**
     * Refuses (exit 2, before anything changes) when baton.yml gives {@code colour} other ports
     * than it runs on.
     *
     * @param how "serves" or "runs", for the message
     */
    public static void refuse(DeployState state, Collection<ServiceSpec> today, String colour, String how) {
        List<String> moved = state.colour(colour).map(r -> r.movedPorts(today, colour)).orElse(List.of());
        if (!moved.isEmpty()) {
            throw BatonException.usage(String.join("; ", moved) + ". A colour's port cannot change while it " + how
                    + " (its process listens there): write " + colour + "'s port back in baton.yml for now; the other colour's"
                    + " port may change now, and " + colour + "'s in the deploy after, once " + colour + " no longer serves");
        }
    }
}
