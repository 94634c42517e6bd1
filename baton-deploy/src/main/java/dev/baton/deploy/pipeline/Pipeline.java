package dev.baton.deploy.pipeline;

import dev.baton.BatonException;
import dev.baton.ExitCode;
import dev.baton.Secrets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Runs steps in order and records each as events. When a step fails, the steps done before it
 * are undone newest first, unless a step that {@link Step#finalizes() finalizes} has already
 * started (from then on the run finishes, Ctrl-C or not). An undo that fails is recorded, and the older steps are then left as they are
 * (recorded as not undone): undoing them could take down what serves. A {@link Guard}
 * is checked before every step: failing before the point of no return, it is a failure like any
 * other (or, with {@link Abandon}, a stop that undoes nothing); after it, or when it throws
 * {@link GoOn}, it is recorded and the steps go on.
 */
public final class Pipeline<C> {
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

    public PipelineResult run(C context) {
        List<DeployEvent> events = new ArrayList<>();
        Deque<Reversible<C>> done = new ArrayDeque<>();
        boolean finalized = false;
        for (Step<C> step : steps) {
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
                if (result instanceof StepResult.Done d) {
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
        return new PipelineResult(null, null, false, events, finalized);
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
                step.undo(context);
                emit(events, step.name(), DeployEvent.Kind.UNDONE, Duration.ofNanos(System.nanoTime() - start), "");
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
