package dev.baton.migrate.internal;

import dev.baton.BatonException;

/**
 * Where a verb goes, parsed once from what the user typed: the unique {@code head}, every head
 * ({@code heads}), a revision id or prefix, a number of steps ({@code +N} up, {@code -N} down),
 * or {@code base} (nothing applied).
 */
public sealed interface Target {
    record Head() implements Target {}

    record Heads() implements Target {}

    /** @param id a revision id or a unique prefix of one */
    record Id(String id) implements Target {}

    /** @param steps how many revisions, always positive */
    record Relative(int steps) implements Target {}

    record Base() implements Target {}

    /** {@code head}, {@code heads}, {@code +N} or a revision. */
    static Target upgrade(String text) {
        return switch (text) {
            case "head" -> new Head();
            case "heads" -> new Heads();
            default -> text.startsWith("+") ? new Relative(steps(text)) : new Id(text);
        };
    }

    /** {@code base}, {@code -N} or a revision (which stays applied). */
    static Target downgrade(String text) {
        if (text.equals("base")) {
            return new Base();
        }
        return text.startsWith("-") ? new Relative(steps(text)) : new Id(text);
    }

    /** {@code base}, {@code head}, {@code heads} or a revision. */
    static Target stamp(String text) {
        if (text.equals("base")) {
            return new Base();
        }
        Target t = upgrade(text);
        if (t instanceof Relative) {
            throw BatonException.usage("stamp takes a revision, head, heads or base, not " + text);
        }
        return t;
    }

    private static int steps(String relative) {
        try {
            int n = Integer.parseInt(relative.substring(1));
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // fall through to the error
        }
        throw BatonException.usage("relative target " + relative + " must be " + relative.charAt(0)
                + "N with N a positive whole number");
    }
}
