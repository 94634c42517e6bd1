package dev.baton.deploy.migrator;

import dev.baton.BatonException;
import dev.baton.ExitCode;
import dev.baton.deploy.port.Migrator;
import dev.baton.deploy.port.PendingMigrations;
import dev.baton.migrate.AppliedRevision;
import dev.baton.migrate.DatabaseUrl;
import dev.baton.migrate.LintReport;
import dev.baton.migrate.MigrationEngine;
import dev.baton.migrate.NoDownMigrationException;
import dev.baton.migrate.Phase;
import dev.baton.migrate.PreparedLint;
import dev.baton.migrate.Revision;
import dev.baton.migrate.RunReport;
import dev.baton.migrate.VerifyReport;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** Baton's own engine (baton-migrate) over JDBC. */
public final class BuiltinMigrator implements Migrator {
    private final MigrationEngine engine;
    private final List<String> verifyTables;
    private final DatabaseUrl shadow;
    private final LintCache lints;

    public BuiltinMigrator(MigrationEngine engine, List<String> verifyTables) {
        this(engine, verifyTables, null, new LintCache(Optional.empty()));
    }

    /**
     * @param shadow where the lint makes its shadow database (null: the target's server)
     * @param lints earlier lints' verdicts, reused when their inputs are the same
     */
    public BuiltinMigrator(MigrationEngine engine, List<String> verifyTables, DatabaseUrl shadow, LintCache lints) {
        this.engine = engine;
        this.verifyTables = List.copyOf(verifyTables);
        this.shadow = shadow;
        this.lints = lints;
    }

    @Override
    public Optional<Path> folder() {
        return Optional.of(engine.dir().toAbsolutePath());
    }

    @Override
    public Migrator readingFrom(Path folder) {
        return new BuiltinMigrator(engine.withDir(folder), verifyTables, shadow, lints);
    }

    @Override
    public Optional<Supplier<LintReport>> prepareLint() {
        PreparedLint lint = engine.prepareLint(shadow);
        if (lint.fingerprint().isEmpty()) {
            return Optional.of(lint.run());
        }
        String key = lint.fingerprint().get();
        Optional<LintReport> earlier = lints.get(key, Instant.now());
        if (earlier.isPresent()) {
            return Optional.of(earlier::get);
        }
        return Optional.of(() -> {
            LintReport r = lint.run().get();
            lints.put(key, r, Instant.now());
            return r;
        });
    }

    @Override
    public Optional<PendingMigrations> pending(boolean sql) {
        List<String> now = engine.current().stream().map(AppliedRevision::revision).toList();
        return Optional.of(new PendingMigrations(now, describe(engine.pending(Phase.EXPAND)), describe(engine.pending(Phase.CONTRACT)),
                sql ? engine.sql("heads", null) : null));
    }

    private static List<String> describe(List<Revision> revisions) {
        return revisions.stream().map(r -> r.id() + "  " + r.message()).toList();
    }

    @Override
    public Optional<List<String>> current() {
        return Optional.of(engine.current().stream().map(AppliedRevision::revision).toList());
    }

    @Override
    public String upgrade(String colour) {
        RunReport r = engine.upgrade("heads", false, false, Phase.EXPAND);
        if (r.steps().isEmpty()) {
            return "already at " + show(r.after());
        }
        return show(r.before()) + " → " + show(r.after()) + " (" + r.steps().size() + " revision"
                + (r.steps().size() == 1 ? "" : "s") + ")";
    }

    @Override
    public Optional<String> contract() {
        if (engine.revisions().stream().noneMatch(Revision::contract)) {
            return Optional.empty(); // known from the files: no need to lock and read the database
        }
        RunReport r = engine.upgrade("heads", false, false, Phase.CONTRACT);
        return r.steps().isEmpty() ? Optional.empty() : Optional.of(show(r.before()) + " → " + show(r.after()) + " ("
                + r.steps().size() + " contract revision" + (r.steps().size() == 1 ? "" : "s") + ")");
    }

    @Override
    public List<String> contractedSince(List<String> heads) {
        return engine.contractAppliedSince(heads);
    }

    @Override
    public void revertTo(Optional<List<String>> known) {
        List<String> before = known.orElseThrow(() -> new BatonException(ExitCode.FAILED,
                "the schema's revision before the deploy is not known; revert by hand with baton migrate downgrade"));
        if (before.size() > 1) {
            throw new BatonException(ExitCode.FAILED, "the schema had several heads " + before
                    + " before the deploy; revert by hand with baton migrate downgrade");
        }
        try {
            engine.downgrade(before.isEmpty() ? "base" : before.get(0));
        } catch (NoDownMigrationException e) { // refused before anything ran
            throw new Irreversible("revision " + e.revision() + " has no down migration");
        }
    }

    @Override
    public List<String> verify() {
        List<String> problems = new ArrayList<>();
        VerifyReport v = engine.verify(verifyTables); // one session: the applied heads come with it
        List<String> heads = engine.heads().stream().map(Revision::id).sorted().toList();
        List<String> now = v.current().stream().sorted().toList();
        List<Revision> expandLeft = engine.pending(Phase.EXPAND);
        if (!expandLeft.isEmpty()) {
            problems.add("database is at " + show(now) + ", the release's head is " + show(heads) + " ("
                    + expandLeft.size() + " revision(s) before the contract ones not applied)");
        } else if (!heads.equals(now) && engine.pending(Phase.CONTRACT).isEmpty()) {
            problems.add("database is at " + show(now) + ", the release's head is " + show(heads));
        }
        problems.addAll(v.problems());
        return problems;
    }

    static String show(List<String> ids) {
        return ids.isEmpty() ? "(empty)" : String.join(",", ids);
    }
}
