package dev.baton.migrate;

/**
 * Which part of an upgrade to run (expand/contract). {@link #EXPAND}: the pending revisions
 * before the first contract revision, safe while the old version serves (a deploy runs them
 * before the switch); {@link #CONTRACT}: the rest, from the first contract revision on (a deploy
 * runs them after the old version stopped); {@link #ALL}: both, in order.
 */
public enum Phase {
    EXPAND, CONTRACT, ALL;

    public static Phase parse(String text) {
        return switch (text) {
            case "expand" -> EXPAND;
            case "contract" -> CONTRACT;
            case "all" -> ALL;
            default -> throw dev.baton.BatonException.usage("--phase is expand, contract or all, not " + text);
        };
    }
}
