package dev.baton.migrate;

import java.util.List;

/** Applied heads and what an {@code upgrade head} (or {@code heads}) would apply, in order. */
public record Status(List<String> current, List<String> heads, List<Revision> pending) {}
