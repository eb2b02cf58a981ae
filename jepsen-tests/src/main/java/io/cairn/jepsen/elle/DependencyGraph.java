package io.cairn.jepsen.elle;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A directed graph over transactions numbered 0..size-1, each edge labelled with every reason it exists.
 * Self-edges are dropped: a transaction never has to precede itself.
 */
final class DependencyGraph {

  /** outgoing.get(from).get(to) = the non-empty set of kinds of the edge from -> to. */
  private final List<Map<Integer, EnumSet<EdgeKind>>> outgoing;

  DependencyGraph(int size) {
    outgoing = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      outgoing.add(new HashMap<>());
    }
  }

  int size() {
    return outgoing.size();
  }

  void add(int from, int to, EdgeKind kind) {
    if (from != to) {
      outgoing.get(from).computeIfAbsent(to, k -> EnumSet.noneOf(EdgeKind.class)).add(kind);
    }
  }

  /** Every node with an edge from {@code from}, whatever its kinds. */
  Set<Integer> successors(int from) {
    return Collections.unmodifiableSet(outgoing.get(from).keySet());
  }

  /** The preferred kind of the edge from -> to among {@code allowed}, if there is such an edge. */
  Optional<EdgeKind> kind(int from, int to, Set<EdgeKind> allowed) {
    EnumSet<EdgeKind> kinds = outgoing.get(from).get(to);
    if (kinds == null) {
      return Optional.empty();
    }
    return kinds.stream().filter(allowed::contains).findFirst();
  }
}
