package io.cairn.jepsen.elle;

import io.cairn.jepsen.history.CompletedOp;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the dependency graph over the transactions that may have taken effect (OK and indeterminate).
 * Data edges come from the inferred version orders; real-time edges are added in transitively reduced
 * form (each transaction is linked only from the latest-completing transactions before it), which keeps
 * the graph small and changes no reachability, so no cycle is lost.
 */
final class GraphBuilder {

  private GraphBuilder() {}

  /**
   * @param nodes the graph's transactions; node i is {@code nodes.get(i)}
   */
  static DependencyGraph build(
      List<CompletedOp> nodes, List<ObservedRead> reads, VersionOrders orders, AppendIndex appends) {
    Map<Integer, Integer> nodeOf = new HashMap<>();
    for (int i = 0; i < nodes.size(); i++) {
      nodeOf.put(nodes.get(i).id(), i);
    }
    DependencyGraph graph = new DependencyGraph(nodes.size());
    for (String key : orders.keys()) {
      List<Long> order = orders.order(key);
      for (int i = 0; i + 1 < order.size(); i++) {
        link(graph, nodeOf, appends.writer(key, order.get(i)), appends.writer(key, order.get(i + 1)), EdgeKind.WW);
      }
    }
    for (ObservedRead read : reads) {
      List<Long> order = orders.order(read.key());
      List<Long> seen = read.values();
      if (!seen.isEmpty()) {
        link(graph, nodeOf, appends.writer(read.key(), seen.get(seen.size() - 1)), read.txn(), EdgeKind.WR);
      }
      int prefix = (int) seen.stream().distinct().count();
      if (prefix < order.size() && order.subList(0, prefix).equals(seen.stream().distinct().toList())) {
        link(graph, nodeOf, read.txn(), appends.writer(read.key(), order.get(prefix)), EdgeKind.RW);
      }
    }
    addProcessOrder(graph, nodes);
    addRealTimeOrder(graph, nodes);
    return graph;
  }

  /** Adds from -> to when both are graph nodes (a failed or unknown writer is reported elsewhere). */
  private static void link(DependencyGraph graph, Map<Integer, Integer> nodeOf, CompletedOp from, CompletedOp to, EdgeKind kind) {
    if (from == null || to == null) {
      return;
    }
    Integer f = nodeOf.get(from.id());
    Integer t = nodeOf.get(to.id());
    if (f != null && t != null) {
      graph.add(f, t, kind);
    }
  }

  private static void addProcessOrder(DependencyGraph graph, List<CompletedOp> nodes) {
    Map<Integer, Integer> lastOfProcess = new HashMap<>();
    for (int i = 0; i < nodes.size(); i++) {
      Integer previous = lastOfProcess.put(nodes.get(i).process(), i);
      if (previous != null) {
        graph.add(previous, i, EdgeKind.PROCESS);
      }
    }
  }

  /**
   * Links A -> B when A completed before B was invoked and no C sits between them (A completed before C
   * was invoked and C completed before B was invoked). Among the transactions completed before B began
   * (a prefix of the list sorted by completion), those not followed by such a C are exactly the ones
   * completing no earlier than the latest invocation in that prefix.
   */
  private static void addRealTimeOrder(DependencyGraph graph, List<CompletedOp> nodes) {
    Integer[] byEnd = new Integer[nodes.size()];
    Arrays.setAll(byEnd, i -> i);
    Arrays.sort(byEnd, Comparator.comparingLong(i -> nodes.get(i).end()));
    long[] ends = new long[byEnd.length];
    long[] maxStartOfPrefix = new long[byEnd.length];
    for (int i = 0; i < byEnd.length; i++) {
      ends[i] = nodes.get(byEnd[i]).end();
      long start = nodes.get(byEnd[i]).start();
      maxStartOfPrefix[i] = i == 0 ? start : Math.max(maxStartOfPrefix[i - 1], start);
    }
    for (int b = 0; b < nodes.size(); b++) {
      int before = SortedLongs.firstAtLeast(ends, nodes.get(b).start(), 0, ends.length);
      if (before == 0) {
        continue;
      }
      int from = SortedLongs.firstAtLeast(ends, maxStartOfPrefix[before - 1], 0, before);
      for (int a = from; a < before; a++) {
        graph.add(byEnd[a], b, EdgeKind.REALTIME);
      }
    }
  }
}
