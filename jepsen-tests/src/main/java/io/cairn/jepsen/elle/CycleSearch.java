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

  /**
   * A shortest cycle inside {@code component} whose edges all have a kind in {@code allowed}: one
   * breadth-first search per node; the first node reached that links back to the start closes the
   * shortest cycle through that start.
   */
  static Optional<Cycle> shortest(DependencyGraph graph, List<Integer> component, Set<EdgeKind> allowed) {
    BitSet members = members(component);
    Optional<Cycle> best = Optional.empty();
    for (int start : component) {
      SearchTree tree = SearchTree.grow(graph, members, start, allowed);
      for (int v : tree.order) {
        if (best.isPresent() && tree.depth[v] + 1 >= best.get().nodes().size()) {
          break;
        }
        Optional<EdgeKind> closing = graph.kind(v, start, allowed);
        if (closing.isPresent()) {
          List<Integer> nodes = tree.pathTo(v);
          List<EdgeKind> edges = pathKinds(graph, nodes, allowed);
          edges.add(closing.get());
          best = Optional.of(new Cycle(List.copyOf(nodes), edges));
          break;
        }
      }
    }
    return best;
  }

  /**
   * A shortest cycle inside {@code component} made of exactly one RW edge and otherwise edges of a kind
   * in {@code others} (which must not contain RW): for each node some RW edge enters, one search from
   * it over {@code others}; any node reached with an RW edge back closes a cycle.
   */
  static Optional<Cycle> shortestWithOneRw(DependencyGraph graph, List<Integer> component, Set<EdgeKind> others) {
    BitSet members = members(component);
    Set<EdgeKind> rwOnly = EnumSet.of(EdgeKind.RW);
    Optional<Cycle> best = Optional.empty();
    for (int target : component) {
      SearchTree tree = SearchTree.grow(graph, members, target, others);
      for (int v : tree.order) {
        if (best.isPresent() && tree.depth[v] + 1 >= best.get().nodes().size()) {
          break;
        }
        if (graph.kind(v, target, rwOnly).isPresent()) {
          List<Integer> nodes = tree.pathTo(v);
          List<EdgeKind> edges = pathKinds(graph, nodes, others);
          edges.add(EdgeKind.RW);
          best = Optional.of(new Cycle(List.copyOf(nodes), edges));
          break;
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

  /** A breadth-first search tree from one root over allowed edges, restricted to a component. */
  private static final class SearchTree {
    /** parent[v] = v's predecessor on a shortest path from the root; -1 when unreached; root's is itself. */
    final int[] parent;
    /** depth[v] = edges from the root to v (valid for reached nodes). */
    final int[] depth;
    /** Reached nodes in breadth-first order (non-decreasing depth), root first. */
    final List<Integer> order = new ArrayList<>();
    final int root;

    private SearchTree(int size, int root) {
      parent = new int[size];
      depth = new int[size];
      Arrays.fill(parent, -1);
      this.root = root;
    }

    static SearchTree grow(DependencyGraph graph, BitSet members, int root, Set<EdgeKind> allowed) {
      SearchTree tree = new SearchTree(graph.size(), root);
      tree.parent[root] = root;
      tree.order.add(root);
      for (int next = 0; next < tree.order.size(); next++) {
        int v = tree.order.get(next);
        for (int w : graph.successors(v)) {
          if (tree.parent[w] == -1 && members.get(w) && graph.kind(v, w, allowed).isPresent()) {
            tree.parent[w] = v;
            tree.depth[w] = tree.depth[v] + 1;
            tree.order.add(w);
          }
        }
      }
      return tree;
    }

    /** The nodes from the root to {@code v}, both included. */
    List<Integer> pathTo(int v) {
      List<Integer> path = new ArrayList<>();
      for (int x = v; x != root; x = parent[x]) {
        path.add(x);
      }
      path.add(root);
      Collections.reverse(path);
      return path;
    }
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
