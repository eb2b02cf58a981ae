package io.cairn.jepsen.elle;

import io.cairn.jepsen.history.CompletedOp;
import java.util.List;

/**
 * One anomaly with the operations that show it. For a cycle, {@code ops} are the transactions in cycle
 * order and {@code edges.get(i)} links {@code ops.get(i)} to {@code ops.get((i + 1) % size)}; for the
 * other anomalies {@code edges} is empty.
 *
 * @param type the classification
 * @param ops the transactions involved
 * @param edges the cycle's edges (cycles only)
 * @param explanation what exactly was observed, in words
 */
public record Anomaly(AnomalyType type, List<CompletedOp> ops, List<EdgeKind> edges, String explanation) {

  public Anomaly {
    ops = List.copyOf(ops);
    edges = List.copyOf(edges);
  }

  static Anomaly of(AnomalyType type, String explanation, CompletedOp... ops) {
    return new Anomaly(type, List.of(ops), List.of(), explanation);
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder(type + ": " + explanation);
    for (int i = 0; i < ops.size(); i++) {
      text.append("\n  ").append(ops.get(i));
      if (i < edges.size()) {
        text.append("\n    -").append(edges.get(i)).append("->");
      }
    }
    return text.toString();
  }
}
