package dev.baton.migrate;

import java.util.List;

/**
 * Applied heads and what an {@code upgrade head} (or {@code heads}) would apply, in order.
 *
 * @param interrupted revisions that ran outside a transaction and were cut off half-way, in
 *     words ({@code upgrade of 3 started at ... by ... never finished}); nothing runs until
 *     {@code baton migrate repair} clears them
 */
public record Status(List<String> current, List<String> heads, List<Revision> pending, List<String> interrupted) {}
