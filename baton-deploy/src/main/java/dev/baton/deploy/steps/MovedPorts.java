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
