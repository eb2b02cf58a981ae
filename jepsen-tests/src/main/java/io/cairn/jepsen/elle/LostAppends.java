package io.cairn.jepsen.elle;

import io.cairn.jepsen.history.CompletedOp;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds acknowledged appends missing from a read that began after they completed. Checking every read
 * against every append of its key is quadratic, so each key's acknowledged appends are sorted by
 * completion with a running maximum of their position in the version order: a read that is a prefix of
 * the order, of length m, misses one of the appends completed before it began exactly when that running
 * maximum reaches m. Only then (rare) are the appends scanned to name the lost one.
 */
final class LostAppends {

  /** An acknowledged append with its place in the key's inferred order (MAX_VALUE: never read). */
  private record Placed(long value, CompletedOp writer, int position) {}

  /** Per key, its acknowledged appends sorted by completion, and the running maximum of position. */
  private record KeyIndex(List<Placed> byEnd, long[] ends, int[] maxPosition) {}

  private LostAppends() {}

  static List<Anomaly> find(List<ObservedRead> reads, AppendIndex appends, VersionOrders orders) {
    Map<String, KeyIndex> indexes = new HashMap<>();
    List<Anomaly> anomalies = new ArrayList<>();
    Set<String> reported = new HashSet<>();
    for (ObservedRead read : reads) {
      KeyIndex index = indexes.computeIfAbsent(read.key(), k -> indexKey(k, appends, orders));
      int before = SortedLongs.firstAtLeast(index.ends(), read.txn().start(), 0, index.ends().length);
      if (before == 0) {
        continue;
      }
      List<Long> order = orders.order(read.key());
      List<Long> distinct = read.values().stream().distinct().toList();
      boolean isPrefix = distinct.size() <= order.size() && order.subList(0, distinct.size()).equals(distinct);
      if (isPrefix && index.maxPosition()[before - 1] < distinct.size()) {
        continue;
      }
      Set<Long> seen = new HashSet<>(read.values());
      for (Placed placed : index.byEnd().subList(0, before)) {
        if (!seen.contains(placed.value()) && reported.add(read.key() + "/" + placed.value())) {
          anomalies.add(Anomaly.of(AnomalyType.LOST_APPEND,
              "append of " + placed.value() + " to " + read.key()
                  + " was acknowledged before this read began, which misses it: " + read.values(),
              placed.writer(), read.txn()));
        }
      }
    }
    return anomalies;
  }

  private static KeyIndex indexKey(String key, AppendIndex appends, VersionOrders orders) {
    Map<Long, Integer> positions = new HashMap<>();
    List<Long> order = orders.order(key);
    for (int i = 0; i < order.size(); i++) {
      positions.put(order.get(i), i);
    }
    List<Placed> placed = new ArrayList<>();
    appends.writersOf(key).forEach((value, writer) -> {
      if (writer.isOk()) {
        placed.add(new Placed(value, writer, positions.getOrDefault(value, Integer.MAX_VALUE)));
      }
    });
    placed.sort(Comparator.comparingLong(p -> p.writer().end()));
    long[] ends = new long[placed.size()];
    int[] maxPosition = new int[placed.size()];
    for (int i = 0; i < placed.size(); i++) {
      ends[i] = placed.get(i).writer().end();
      maxPosition[i] = Math.max(i == 0 ? -1 : maxPosition[i - 1], placed.get(i).position());
    }
    return new KeyIndex(placed, ends, maxPosition);
  }
}
