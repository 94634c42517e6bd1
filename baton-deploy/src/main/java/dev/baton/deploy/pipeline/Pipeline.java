package dev.baton.deploy.pipeline;

import dev.baton.BatonException;
import dev.baton.ExitCode;
import dev.baton.Secrets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Predicate;

/**
 * Runs steps in order and records each as events. When a step fails, the steps done before it
 * are undone newest first, unless a step that {@link Step#finalizes() finalizes} has already
 * started (from then on the run finishes, Ctrl-C or not). An undo that fails is recorded, and the older steps are then left as they are
 * (recorded as not undone): undoing them could take down what serves. A {@link Guard}
 * is checked before every step: failing before the point of no return, it is a failure like any
 * other (or, with {@link Abandon}, a stop that undoes nothing); after it, or when it throws
 * {@link GoOn}, it is recorded and the steps go on. A step that returns {@link StepResult.Beside}
 * goes on on a thread of its own while the next steps run; its result is taken before the step
 * it names, as if it had ended there (a failure undoes the steps run meanwhile too), and a run
 * that ends early still waits for it.
 */
public final class Pipeline<C> {
    /** The name of a step's thread beside the others starts with this (the OS sees its first 15 characters). */
    public static final String BESIDE_THREAD = "baton-beside-";

    private final List<Step<C>> steps;
    private final List<EventSink> sinks;
    private final Guard guard;

    /** Checked before every step: throws when the deploy must not go on (its lock was lost, its journal cannot be written). */
    @FunctionalInterface
    public interface Guard {
        void check(String nextStep);
    }

    /**
     * Thrown by a guard: stop here and undo nothing, because what was done is no longer this
     * run's to undo (another deploy took its lock and will settle it).
     */
    public static final class Abandon extends BatonException {
        private final String leftTo;

        public Abandon(String message, String leftTo) {
            super(ExitCode.STATE, message);
            this.leftTo = leftTo;
        }
    }

    /** Thrown by a guard: record it and go on (the run is past the point where stopping helps). */
    public static final class GoOn extends BatonException {
        public GoOn(String message) {
            super(ExitCode.STATE, message);
        }
    }

    public Pipeline(List<Step<C>> steps, List<EventSink> sinks) {
        this(steps, sinks, next -> { });
    }

    public Pipeline(List<Step<C>> steps, List<EventSink> sinks, Guard guard) {
        this.steps = List.copyOf(steps);
        this.sinks = List.copyOf(sinks);
        this.guard = guard;
    }

    /** A step running beside the ones after it, until its result is taken. */
    private record Beside<C>(Step<C> step, String until, FutureTask<StepResult> task, long[] nanos) {
        static <C> Beside<C> start(Step<C> step, StepResult.Beside b, long start) {
            long[] nanos = {start, 0};
            FutureTask<StepResult> task = new FutureTask<>(() -> {
                try {
                    StepResult r = b.rest().call();
                    if (r instanceof StepResult.Beside) {
                        throw new IllegalStateException(step.name() + " went beside twice"); // a bug: rest ends the step
                    }
                    return r;
                } finally {
                    nanos[1] = System.nanoTime();
                }
            });
            Thread worker = new Thread(task, BESIDE_THREAD + step.name());
            worker.setDaemon(true); // awaited before the run returns; a JVM that dies does not wait
            worker.start();
            return new Beside<>(step, b.until(), task, nanos);
        }

        StepResult await() throws Exception {
            boolean interrupted = false;
            try {
                while (true) {
                    try {
                        return task.get();
                    } catch (InterruptedException e) {
                        interrupted = true; // Ctrl-C: handled between steps, once this one has finished
                    } catch (ExecutionException e) {
                        if (e.getCause() instanceof Error err) {
                            throw err;
                        }
                        throw (Exception) e.getCause();
                    }
                }
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    public PipelineResult run(C context) {
        List<Beside<C>> besides = new ArrayList<>();
        try {
            return run(context, besides);
        } finally {
            for (Beside<C> b : besides) { // a run that stops early still lets them finish (a lint drops its shadow)
                try {
                    b.await();
                } catch (Exception e) {
                    // its result no longer matters
                }
            }
        }
    }

    private PipelineResult run(C context, List<Beside<C>> besides) {
        List<DeployEvent> events = new ArrayList<>();
        Deque<Reversible<C>> done = new ArrayDeque<>();
        boolean finalized = false;
        for (Step<C> step : steps) {
            Optional<PipelineResult> failed = join(besides, b -> b.until().equals(step.name()), context,
                    events, done, finalized);
            if (failed.isPresent()) {
                return failed.get();
            }
            // Ctrl-C or SIGTERM (the CLI interrupts this thread): before the point of no return,
            // stop here and undo; after it, finishing is safer than stopping halfway
            if (Thread.interrupted() && !finalized) {
                Exception stop = new BatonException(ExitCode.FAILED,
                        "interrupted (Ctrl-C or SIGTERM) before " + step.name() + "; undoing what was done");
                emit(events, step.name(), DeployEvent.Kind.FAILED, Duration.ZERO, stop.getMessage());
                boolean undone = undo(done, context, events);
                return new PipelineResult(step.name(), stop, undone, events, false);
            }
            try {
                guard.check(step.name());
            } catch (RuntimeException e) {
                if (!finalized && !(e instanceof GoOn)) { // stop and undo, as for any failure
                    emit(events, step.name(), DeployEvent.Kind.FAILED, Duration.ZERO, BatonException.describe(e));
                    if (e instanceof Abandon a) {
                        while (!done.isEmpty()) {
                            emit(events, done.pop().name(), DeployEvent.Kind.NOT_UNDONE, Duration.ZERO, "left to " + a.leftTo);
                        }
                        return new PipelineResult(step.name(), e, false, events, false);
                    }
                    boolean undone = undo(done, context, events);
                    return new PipelineResult(step.name(), e, undone, events, false);
                }
                // after it, finishing is safer than stopping halfway; the event says the guard failed
                emit(events, "Guard", DeployEvent.Kind.FAILED, Duration.ZERO, BatonException.describe(e)
                        + (finalized ? " (after the point of no return: the deploy goes on)" : " (the deploy goes on)"));
            }
            emit(events, step.name(), DeployEvent.Kind.STARTED, Duration.ZERO, "");
            long start = System.nanoTime();
            finalized |= step.finalizes(); // from its start: once the old colour begins stopping, there is no way back
            try {
                StepResult result = finalized ? toTheEnd(step, context) : step.run(context);
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                if (result instanceof StepResult.Beside b) {
                    besides.add(Beside.start(step, b, start));
                } else if (result instanceof StepResult.Done d) {
                    emit(events, step.name(), DeployEvent.Kind.SUCCEEDED, took, d.detail());
                    if (step instanceof Reversible<C> r) {
                        done.push(r);
                    }
                } else {
                    emit(events, step.name(), DeployEvent.Kind.SKIPPED, took, "");
                }
            } catch (Exception e) {
                Thread.interrupted(); // undo needs working I/O even if the failure was an interrupt
                emit(events, step.name(), DeployEvent.Kind.FAILED, Duration.ofNanos(System.nanoTime() - start), BatonException.describe(e));
                boolean undone = !finalized && undo(done, context, events);
                return new PipelineResult(step.name(), e, undone, events, finalized);
            }
        }
        Optional<PipelineResult> failed = join(besides, b -> true, context, events, done, finalized);
        return failed.isPresent() ? failed.get() : new PipelineResult(null, null, false, events, finalized);
    }

    /**
     * Takes the results of the steps running beside that {@code due} picks, as if each had run in
     * its place; the first that failed undoes what was done (the steps after it too, unless past the
     * point of no return), and the run's result is then returned.
     */
    private Optional<PipelineResult> join(List<Beside<C>> besides, Predicate<Beside<C>> due, C context,
                                          List<DeployEvent> events, Deque<Reversible<C>> done, boolean finalized) {
        for (Iterator<Beside<C>> it = besides.iterator(); it.hasNext(); ) {
            Beside<C> b = it.next();
            if (!due.test(b)) {
                continue;
            }
            it.remove();
            try {
                StepResult result = b.await();
                Duration took = Duration.ofNanos(b.nanos()[1] - b.nanos()[0]);
                if (result instanceof StepResult.Done d) {
                    emit(events, b.step().name(), DeployEvent.Kind.SUCCEEDED, took, d.detail());
                    if (b.step() instanceof Reversible<C> r) {
                        done.push(r);
                    }
                } else {
                    emit(events, b.step().name(), DeployEvent.Kind.SKIPPED, took, "");
                }
            } catch (Exception e) {
                emit(events, b.step().name(), DeployEvent.Kind.FAILED, Duration.ofNanos(b.nanos()[1] - b.nanos()[0]),
                        BatonException.describe(e));
                boolean undone = !finalized && undo(done, context, events);
                return Optional.of(new PipelineResult(b.step().name(), e, undone, events, finalized));
            }
        }
        return Optional.empty();
    }

    /**
     * Runs a step past the point of no return on a thread of its own, which Ctrl-C (an interrupt
     * of this thread) does not reach: a drain or a stop cut short halfway would leave some hosts
     * on each colour. The interrupt is dropped: the run finishes whatever happens.
     */
    private StepResult toTheEnd(Step<C> step, C context) throws Exception {
        FutureTask<StepResult> task = new FutureTask<>(() -> step.run(context));
        Thread worker = new Thread(task, "baton-" + step.name());
        worker.start();
        while (true) {
            try {
                return task.get();
            } catch (InterruptedException e) {
                // Ctrl-C: keep waiting, the step finishes
            } catch (ExecutionException e) {
                if (e.getCause() instanceof Error err) {
                    throw err;
                }
                throw (Exception) e.getCause();
            }
        }
    }

    /**
     * Undoes newest first; returns whether everything was undone. After an undo that fails the
     * older steps are left as they are: the state is no longer known (a switch back that failed
     * may leave traffic on the new colour), and undoing them (stopping that colour, reverting its
     * schema) could take down what serves.
     */
    private boolean undo(Deque<Reversible<C>> done, C context, List<DeployEvent> events) {
        while (!done.isEmpty()) {
            Reversible<C> step = done.pop();
            long start = System.nanoTime();
            try {
                String detail = step.undo(context);
                emit(events, step.name(), DeployEvent.Kind.UNDONE, Duration.ofNanos(System.nanoTime() - start), detail);
            } catch (Exception e) {
                emit(events, step.name(), DeployEvent.Kind.UNDO_FAILED, Duration.ofNanos(System.nanoTime() - start), BatonException.describe(e));
                while (!done.isEmpty()) {
                    emit(events, done.pop().name(), DeployEvent.Kind.NOT_UNDONE, Duration.ZERO,
                            "left as it is: " + step.name() + " could not be undone");
                }
                return false;
            }
        }
        return true;
    }


    private void emit(List<DeployEvent> events, String step, DeployEvent.Kind kind, Duration took, String detail) {
        DeployEvent e = new DeployEvent(Instant.now(), step, kind, took, Secrets.redact(detail));
        events.add(e);
        for (EventSink sink : sinks) {
            sink.accept(e);
        }
    }
}
