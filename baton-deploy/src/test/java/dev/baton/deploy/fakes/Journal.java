package dev.baton.deploy.fakes;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** What the fakes did, in order, across servers: the test reads it back. */
public final class Journal {
    private final List<String> entries = new CopyOnWriteArrayList<>();

    public void add(String entry) {
        entries.add(entry);
    }

    public List<String> entries() {
        return List.copyOf(entries);
    }
}
