package dev.baton.migrate;

import java.util.List;

/**
 * Applied heads and what an {@code upgrade head} (or {@code heads}) would apply, in order.
 *
 * @param interrupted revisions that ran outside a transaction and were cut off half-way, in
 *     words ({@code upgrade of 3 started at ... by ... never finished}); nothing runs until
 *     {@code baton migrate repair} clears them
 * @param otherTools when Baton has recorded nothing yet: the other migration tools whose history
 *     tables have rows ({@code Flyway (flyway_schema_history, 12 rows)}); an upgrade refuses to run
 *     everything again over their work
 */
public record Status(List<String> current, List<String> heads, List<Revision> pending, List<String> interrupted,
                     List<String> otherTools) {}
