package io.cairn.jepsen.elle;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.Deque;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Cycle finding for the dependency graph: Tarjan's algorithm splits the graph into strongly connected
 * components (every cycle lies inside one), then a breadth-first search inside a component finds a
 * shortest cycle using only some edge kinds. Shortest cycles make the smallest explanations.
 */
final class CycleSearch {

  private CycleSearch() {}

  /** The components with more than one node (the graph has no self-edges), each sorted ascending. */
  static List<List<Integer>> components(DependencyGraph graph) {
    int n = graph.size();
    int[] index = new int[n];
    int[] lowLink = new int[n];
    boolean[] onStack = new boolean[n];
    Arrays.fill(index, -1);
    Deque<Integer> stack = new ArrayDeque<>();
    List<List<Integer>> result = new ArrayList<>();
    int counter = 0;
    // Iterative DFS: each frame is a node and the iterator over its successors still to visit.
    Deque<Integer> frames = new ArrayDeque<>();
    Deque<Iterator<Integer>> iterators = new ArrayDeque<>();
    for (int root = 0; root < n; root++) {
      if (index[root] != -1) {
        continue;
      }
      index[root] = lowLink[root] = counter++;
      stack.push(root);
      onStack[root] = true;
      frames.push(root);
      iterators.push(graph.successors(root).iterator());
      while (!frames.isEmpty()) {
        int v = frames.peek();
        Iterator<Integer> it = iterators.peek();
        if (it.hasNext()) {
          int w = it.next();
          if (index[w] == -1) {
            index[w] = lowLink[w] = counter++;
            stack.push(w);
            onStack[w] = true;
            frames.push(w);
            iterators.push(graph.successors(w).iterator());
          } else if (onStack[w]) {
            lowLink[v] = Math.min(lowLink[v], index[w]);
          }
          continue;
        }
        frames.pop();
        iterators.pop();
        if (!frames.isEmpty()) {
          int parent = frames.peek();
          lowLink[parent] = Math.min(lowLink[parent], lowLink[v]);
        }
        if (lowLink[v] == index[v]) {
          List<Integer> component = new ArrayList<>();
          int w;
          do {
            w = stack.pop();
            onStack[w] = false;
            component.add(w);
          } while (w != v);
          if (component.size() > 1) {
            component.sort(null);
            result.add(component);
          }
        }
      }
    }
    return result;
  }

  /** A shortest cycle inside {@code component} whose edges all have a kind in {@code allowed}. */
  static Optional<Cycle> shortest(DependencyGraph graph, List<Integer> component, Set<EdgeKind> allowed) {
    BitSet members = members(component);
    Optional<Cycle> best = Optional.empty();
    for (int start : component) {
      for (int next : graph.successors(start)) {
        if (!members.get(next) || graph.kind(start, next, allowed).isEmpty()) {
          continue;
        }
        Optional<List<Integer>> back = shortestPath(graph, members, next, start, allowed);
        if (back.isPresent() && (best.isEmpty() || back.get().size() < best.get().nodes().size())) {
          // start -> next -> ... -> (back to) start
          List<Integer> nodes = new ArrayList<>();
          nodes.add(start);
          nodes.addAll(back.get().subList(0, back.get().size() - 1));
          List<EdgeKind> edges = pathKinds(graph, nodes, allowed);
          edges.add(graph.kind(nodes.get(nodes.size() - 1), start, allowed).orElseThrow());
          best = Optional.of(new Cycle(List.copyOf(nodes), edges));
        }
      }
    }
    return best;
  }

  /**
   * A shortest cycle inside {@code component} made of exactly one RW edge and otherwise edges of a kind
   * in {@code others} (which must not contain RW).
   */
  static Optional<Cycle> shortestWithOneRw(DependencyGraph graph, List<Integer> component, Set<EdgeKind> others) {
    BitSet members = members(component);
    Set<EdgeKind> rwOnly = EnumSet.of(EdgeKind.RW);
    Optional<Cycle> best = Optional.empty();
    for (int from : component) {
      for (int to : graph.successors(from)) {
        if (!members.get(to) || graph.kind(from, to, rwOnly).isEmpty()) {
          continue;
        }
        Optional<List<Integer>> back = shortestPath(graph, members, to, from, others);
        if (back.isPresent() && (best.isEmpty() || back.get().size() < best.get().nodes().size())) {
          // to -> ... -> from, closed by the RW edge from -> to
          List<Integer> nodes = back.get();
          List<EdgeKind> edges = pathKinds(graph, nodes, others);
          edges.add(EdgeKind.RW);
          best = Optional.of(new Cycle(List.copyOf(nodes), edges));
        }
      }
    }
    return best;
  }

  private static BitSet members(List<Integer> component) {
    BitSet members = new BitSet();
    component.forEach(members::set);
    return members;
  }

  /** Breadth-first path from {@code source} to {@code target} (both included) inside the component. */
  private static Optional<List<Integer>> shortestPath(
      DependencyGraph graph, BitSet members, int source, int target, Set<EdgeKind> allowed) {
    if (source == target) {
      return Optional.of(List.of(source));
    }
    int[] parent = new int[graph.size()];
    Arrays.fill(parent, -1);
    parent[source] = source;
    Deque<Integer> queue = new ArrayDeque<>(List.of(source));
    while (!queue.isEmpty()) {
      int v = queue.poll();
      for (int w : graph.successors(v)) {
        if (parent[w] != -1 || !members.get(w) || graph.kind(v, w, allowed).isEmpty()) {
          continue;
        }
        parent[w] = v;
        if (w == target) {
          List<Integer> path = new ArrayList<>();
          for (int x = target; x != source; x = parent[x]) {
            path.add(x);
          }
          path.add(source);
          Collections.reverse(path);
          return Optional.of(path);
        }
        queue.add(w);
      }
    }
    return Optional.empty();
  }

  /** The preferred allowed kind of each consecutive pair of {@code path}. */
  private static List<EdgeKind> pathKinds(DependencyGraph graph, List<Integer> path, Set<EdgeKind> allowed) {
    List<EdgeKind> kinds = new ArrayList<>();
    for (int i = 0; i + 1 < path.size(); i++) {
      kinds.add(graph.kind(path.get(i), path.get(i + 1), allowed).orElseThrow());
    }
    return kinds;
  }
}
