package dev.baton.deploy.port;

/** Tells people how a deploy ended: the {@code Notifier} port. A notice that fails never fails a deploy. */
public interface Notifier {
    /** For messages: {@code ntfy https://ntfy.sh/shop}. */
    String describe();

    /** Sends the notice; throws when it could not be delivered. */
    void send(Notice notice) throws Exception;
}
