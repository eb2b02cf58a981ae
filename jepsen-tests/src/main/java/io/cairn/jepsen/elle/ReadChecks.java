package io.cairn.jepsen.elle;

import io.cairn.jepsen.history.CompletedOp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The anomalies visible in single reads, without the dependency graph: reading what a failed
 * transaction appended (G1a), reading a transaction's state between two of its appends (G1b) and
 * reading an element nobody appended. ({@link LostAppends} finds reads missing acknowledged appends.)
 */
final class ReadChecks {

  private ReadChecks() {}

  static List<Anomaly> check(List<ObservedRead> reads, AppendIndex appends) {
    List<Anomaly> anomalies = new ArrayList<>();
    for (ObservedRead read : reads) {
      for (long element : read.values()) {
        CompletedOp writer = appends.writer(read.key(), element);
        if (writer == null) {
          anomalies.add(Anomaly.of(AnomalyType.GARBAGE_READ,
              "read of " + read.key() + " shows " + element + ", which no transaction appended", read.txn()));
        } else if (writer.isFail()) {
          anomalies.add(Anomaly.of(AnomalyType.G1A,
              "read of " + read.key() + " shows " + element + ", appended by a failed transaction", read.txn(), writer));
        }
      }
      intermediateRead(read, appends).ifPresent(anomalies::add);
    }
    return anomalies;
  }

  private static Optional<Anomaly> intermediateRead(ObservedRead read, AppendIndex appends) {
    if (read.values().isEmpty()) {
      return Optional.empty();
    }
    long last = read.values().get(read.values().size() - 1);
    CompletedOp writer = appends.writer(read.key(), last);
    if (writer == null || writer.id() == read.txn().id()) {
      return Optional.empty();
    }
    List<Long> own = appends.appends(writer, read.key());
    if (own.indexOf(last) == own.size() - 1) {
      return Optional.empty();
    }
    return Optional.of(Anomaly.of(AnomalyType.G1B,
        "read of " + read.key() + " ends at " + last + ", but its writer appended " + own + " to it",
        read.txn(), writer));
  }
}
