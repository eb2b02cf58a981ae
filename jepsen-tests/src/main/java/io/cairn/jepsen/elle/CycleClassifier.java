package io.cairn.jepsen.elle;

import io.cairn.jepsen.history.CompletedOp;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Names the cycles of one strongly connected component by trying ever weaker edge sets and stopping at
 * the first that closes a cycle, so the report is the most specific anomaly the component contains:
 * G0 (ww), G1c (ww+wr), G-single (one rw), G2 (any data edges), then the same four with process and
 * real-time edges allowed. Because each step only runs when the stronger ones found nothing, a cycle
 * found by the G2 step necessarily has two or more rw edges.
 */
final class CycleClassifier {

  private static final Set<EdgeKind> WW = EnumSet.of(EdgeKind.WW);
  private static final Set<EdgeKind> WW_WR = EnumSet.of(EdgeKind.WW, EdgeKind.WR);
  private static final Set<EdgeKind> DATA = EnumSet.of(EdgeKind.WW, EdgeKind.WR, EdgeKind.RW);
  private static final Set<EdgeKind> ORDER = EnumSet.of(EdgeKind.PROCESS, EdgeKind.REALTIME);

  private CycleClassifier() {}

  static Anomaly classify(DependencyGraph graph, List<Integer> component, List<CompletedOp> nodes) {
    for (boolean withOrder : new boolean[] {false, true}) {
      Optional<Cycle> g0 = CycleSearch.shortest(graph, component, with(WW, withOrder));
      if (g0.isPresent()) {
        return anomaly(withOrder ? AnomalyType.G0_REALTIME : AnomalyType.G0, g0.get(), nodes);
      }
      Optional<Cycle> g1c = CycleSearch.shortest(graph, component, with(WW_WR, withOrder));
      if (g1c.isPresent()) {
        return anomaly(withOrder ? AnomalyType.G1C_REALTIME : AnomalyType.G1C, g1c.get(), nodes);
      }
      Optional<Cycle> single = CycleSearch.shortestWithOneRw(graph, component, with(WW_WR, withOrder));
      if (single.isPresent()) {
        return anomaly(withOrder ? AnomalyType.G_SINGLE_REALTIME : AnomalyType.G_SINGLE, single.get(), nodes);
      }
      Optional<Cycle> g2 = CycleSearch.shortest(graph, component, with(DATA, withOrder));
      if (g2.isPresent()) {
        return anomaly(withOrder ? AnomalyType.G2_REALTIME : AnomalyType.G2, g2.get(), nodes);
      }
    }
    throw new IllegalStateException("a strongly connected component of " + component.size() + " transactions has no cycle");
  }

  private static Set<EdgeKind> with(Set<EdgeKind> kinds, boolean withOrder) {
    EnumSet<EdgeKind> all = EnumSet.copyOf(kinds);
    if (withOrder) {
      all.addAll(ORDER);
    }
    return all;
  }

  private static Anomaly anomaly(AnomalyType type, Cycle cycle, List<CompletedOp> nodes) {
    List<CompletedOp> ops = cycle.nodes().stream().map(nodes::get).toList();
    String explanation = "cycle of " + ops.size() + " transactions over " + cycle.edges() + " edges";
    return new Anomaly(type, ops, cycle.edges(), explanation);
  }
}
