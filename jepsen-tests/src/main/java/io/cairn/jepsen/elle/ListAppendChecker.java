package io.cairn.jepsen.elle;

import io.cairn.jepsen.history.CompletedOp;
import io.cairn.jepsen.history.History;
import io.cairn.jepsen.history.OpFunction;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a list-append history for strict serializability, the way Elle does: appends of unique values
 * make every read reveal the order of the appends before it, so the version order of each key can be
 * inferred from the reads instead of guessed, and the write-write, write-read and read-write
 * dependencies between transactions follow. Any cycle in those dependencies (plus process and real-time
 * order) is an anomaly no serial execution could produce.
 *
 * <p>Nodes are OK transactions and indeterminate ones (their appends may have happened; their reads are
 * unknown). Failed transactions are not nodes: observing their appends is reported as G1a.
 */
public final class ListAppendChecker {

  public ListAppendResult check(History history) {
    List<CompletedOp> txns = new ArrayList<>();
    for (CompletedOp op : history.operations()) {
      if (op.f() != OpFunction.TXN) {
        throw new IllegalArgumentException("the list-append checker takes transactions, not " + op);
      }
      txns.add(op);
    }
    AppendIndex appends = new AppendIndex(txns);
    List<ObservedRead> reads = ObservedRead.of(txns);
    VersionOrders orders = new VersionOrders(reads);

    List<Anomaly> anomalies = new ArrayList<>(InternalConsistency.check(txns));
    anomalies.addAll(orders.anomalies());
    anomalies.addAll(ReadChecks.check(reads, appends));
    anomalies.addAll(LostAppends.find(reads, appends, orders));

    List<CompletedOp> nodes = txns.stream().filter(t -> !t.isFail()).toList();
    DependencyGraph graph = GraphBuilder.build(nodes, reads, orders, appends);
    for (List<Integer> component : CycleSearch.components(graph)) {
      anomalies.add(CycleClassifier.classify(graph, component, nodes));
    }
    return new ListAppendResult(anomalies, nodes.size());
  }
}
