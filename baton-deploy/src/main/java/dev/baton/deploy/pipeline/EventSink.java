package dev.baton.deploy;

/** Receives deploy events: the console, the audit log, notifiers. A sink must not throw. */
public interface EventSink {
    void accept(DeployEvent event);
}
