package io.cairn.jepsen.elle;

import io.cairn.jepsen.ConcurrentSchedule;
import io.cairn.jepsen.history.MicroOp;
import io.cairn.jepsen.history.Op;
import io.cairn.jepsen.history.OpType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Generates list-append histories that are strictly serializable by construction: concurrent clients
 * get random overlapping intervals, each transaction an atomic commit point inside its interval, and a
 * real map of lists applies whole transactions in commit-point order, so every read result comes from
 * a serial execution consistent with real time. Some transactions fail (not applied) and some time out
 * (applied or not, at random; the client is retired).
 */
final class RandomAppendHistories {

  private RandomAppendHistories() {}

  /** A transaction being generated. */
  private static final class Planned {
    int process;
    long start;
    long end;
    OpType outcome;
    List<MicroOp> steps;
  }

  static List<Op> generate(long seed, int clients, int txnsPerClient, int keys) {
    SplittableRandom random = new SplittableRandom(seed);
    List<Planned> planned = new ArrayList<>();
    for (ConcurrentSchedule.Slot slot : ConcurrentSchedule.plan(random, clients, txnsPerClient, 20, 19)) {
      Planned p = new Planned();
      p.process = slot.process();
      p.start = slot.start();
      p.end = slot.end();
      p.outcome = slot.outcome();
      planned.add(p);
    }
    Map<String, List<Long>> lists = new HashMap<>();
    long nextValue = 1;
    for (Planned p : planned) {
      boolean applies = p.outcome == OpType.OK || (p.outcome == OpType.INFO && random.nextBoolean());
      Map<String, List<Long>> view = new HashMap<>();
      lists.forEach((k, v) -> view.put(k, new ArrayList<>(v)));
      p.steps = new ArrayList<>();
      int size = random.nextInt(1, 5);
      for (int s = 0; s < size; s++) {
        String key = "k" + random.nextInt(keys);
        if (random.nextBoolean()) {
          long value = nextValue++;
          view.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
          p.steps.add(MicroOp.append(key, value));
        } else {
          p.steps.add(MicroOp.read(key, view.getOrDefault(key, List.of())));
        }
      }
      if (applies) {
        lists.clear();
        lists.putAll(view);
      }
    }
    List<Op> events = new ArrayList<>();
    for (Planned p : planned) {
      List<MicroOp> invoked = p.steps.stream().map(m -> m.isRead() ? MicroOp.read(m.key()) : m).toList();
      events.add(Op.txn(p.process, OpType.INVOKE, invoked, p.start));
      events.add(Op.txn(p.process, p.outcome, p.outcome == OpType.OK ? p.steps : invoked, p.end));
    }
    events.sort(Comparator.comparingLong(Op::timeNanos));
    return events;
  }
}
