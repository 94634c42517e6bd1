package dev.baton.deploy.pipeline;

/** Receives deploy events: the console, the audit log, notifiers. A sink must not throw. */
public interface EventSink {
    void accept(DeployEvent event);
}
