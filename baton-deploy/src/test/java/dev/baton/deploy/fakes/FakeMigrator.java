package dev.baton.deploy.fakes;

import dev.baton.BatonException;
import dev.baton.ExitCode;
import dev.baton.deploy.port.Migrator;
import java.util.List;
import java.util.Optional;

/** A {@link Migrator} whose schema is a list of heads: upgrade moves it to {@code head}, revert puts back what it is given. */
public final class FakeMigrator implements Migrator {
    private final Journal journal;
    private final List<String> head;
    private volatile List<String> current;
    private volatile boolean fails;
    private volatile List<String> failsAfter;
    private volatile boolean verifyFails;
    private volatile boolean revertFails;
    private volatile boolean irreversible;

    public FakeMigrator(Journal journal, List<String> current, List<String> head) {
        this.journal = journal;
        this.current = current;
        this.head = head;
    }

    public FakeMigrator failing() {
        this.fails = true;
        return this;
    }

    /** The upgrade applies {@code partway} (committed), then a later revision fails. */
    public FakeMigrator failingAfter(List<String> partway) {
        this.failsAfter = partway;
        return this;
    }

    /** Verify finds a problem after the upgrade (a missing table, say). */
    public FakeMigrator failingVerify() {
        this.verifyFails = true;
        return this;
    }

    /** While {@code fails}, a revert fails as one would with the database gone. */
    public FakeMigrator revertFailing(boolean fails) {
        this.revertFails = fails;
        return this;
    }

    /** A revert is refused as for revisions without a down migration: nothing reverted. */
    public FakeMigrator irreversible() {
        this.irreversible = true;
        return this;
    }

    public List<String> schema() {
        return current;
    }

    @Override
    public Optional<List<String>> current() {
        return Optional.of(current);
    }

    @Override
    public String upgrade(String colour) {
        if (failsAfter != null) {
            journal.add("migrate " + current + " -> " + failsAfter + ", then failed");
            current = failsAfter;
            throw new BatonException(ExitCode.FAILED, "revision " + head + " failed");
        }
        if (fails) {
            journal.add("migrate failed");
            throw new BatonException(ExitCode.FAILED, "revision " + head + " failed");
        }
        journal.add("migrate " + current + " -> " + head);
        current = head;
        return current + " → " + head;
    }

    @Override
    public void revertTo(Optional<List<String>> before) {
        if (irreversible) {
            journal.add("revert refused");
            throw new Irreversible("revision " + head.get(0) + " has no down migration");
        }
        if (revertFails) {
            journal.add("revert failed");
            throw new BatonException(ExitCode.FAILED, "cannot connect to the database");
        }
        journal.add("revert to " + before.orElseThrow());
        current = before.orElseThrow();
    }

    @Override
    public List<String> verify() {
        if (verifyFails) {
            return List.of("table items does not exist");
        }
        return current.equals(head) ? List.of() : List.of("at " + current + ", head is " + head);
    }
}
