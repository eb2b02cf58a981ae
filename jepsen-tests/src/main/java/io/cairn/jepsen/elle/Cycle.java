package io.cairn.jepsen.elle;

import java.util.List;

/**
 * A cycle in a {@link DependencyGraph}: {@code edges.get(i)} links {@code nodes.get(i)} to
 * {@code nodes.get((i + 1) % size)}.
 */
record Cycle(List<Integer> nodes, List<EdgeKind> edges) {}
