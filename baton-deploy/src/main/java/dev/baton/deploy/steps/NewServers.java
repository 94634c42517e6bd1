package dev.baton.deploy.steps;

import dev.baton.deploy.pipeline.Server;
import java.util.List;

/**
 * Servers just added to baton.yml's hosts: their router never served a colour of this app (what
 * may run there serves nobody through it). They have no old colour to keep or go back to: a deploy
 * gives them the new one, and its undo leaves them serving nothing again.
 */
public final class NewServers {
    private NewServers() {}

    public static List<Server> of(List<Server> servers) {
        return servers.stream().filter(s -> s.router().neverServed()).toList();
    }
}
