package io.cairn.jepsen.linearizability;

import io.cairn.jepsen.ConcurrentSchedule;
import io.cairn.jepsen.history.Op;
import io.cairn.jepsen.history.OpFunction;
import io.cairn.jepsen.history.OpType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Generates register histories that are linearizable by construction: concurrent clients get random
 * overlapping intervals, each operation gets a linearization point inside its interval, and a real
 * sequential register applies the operations in linearization-point order to decide every result. A
 * few operations time out (INFO): half of them still take effect at their point, half never do, and the
 * client is retired, as a real workload retires it.
 */
final class RandomRegisterHistories {

  /** An operation being generated: its interval, its point, and the result the register gave it. */
  private static final class Planned {
    int process;
    long start;
    long end;
    OpFunction f;
    String key;
    Long value;
    Long expected;
    OpType outcome;
  }

  private RandomRegisterHistories() {}

  /**
   * @param clients concurrent clients (process ids are renumbered when a client is retired)
   * @param opsPerClient operations each client slot performs
   * @param keys number of keys
   */
  static List<Op> generate(long seed, int clients, int opsPerClient, int keys) {
    SplittableRandom random = new SplittableRandom(seed);
    List<Planned> planned = new ArrayList<>();
    for (ConcurrentSchedule.Slot slot : ConcurrentSchedule.plan(random, clients, opsPerClient, 0, 25)) {
      Planned p = new Planned();
      p.process = slot.process();
      p.start = slot.start();
      p.end = slot.end();
      p.outcome = slot.outcome();
      p.key = "k" + random.nextInt(keys);
      planned.add(p);
    }
    Map<String, Long> register = new HashMap<>();
    long nextValue = 1;
    for (Planned p : planned) {
      Long current = register.get(p.key);
      int choice = random.nextInt(10);
      boolean applies = p.outcome == OpType.OK || random.nextBoolean();
      if (choice < 4) {
        p.f = OpFunction.READ;
        p.value = current;
      } else if (choice < 7) {
        p.f = OpFunction.WRITE;
        p.value = nextValue++;
        if (applies) {
          register.put(p.key, p.value);
        }
      } else {
        p.f = OpFunction.CAS;
        p.value = nextValue++;
        p.expected = random.nextBoolean() && current != null ? current : random.nextLong(0, nextValue);
        boolean matches = p.expected.equals(current);
        if (p.outcome == OpType.OK && !matches) {
          p.outcome = OpType.FAIL;
        }
        if (applies && matches) {
          register.put(p.key, p.value);
        }
      }
    }
    List<Op> events = new ArrayList<>();
    for (Planned p : planned) {
      Long invokedValue = p.f == OpFunction.READ ? null : p.value;
      events.add(new Op(p.process, OpType.INVOKE, p.f, p.key, invokedValue, p.expected, null, p.start, -1));
      Long completedValue = p.f == OpFunction.READ && p.outcome != OpType.OK ? null : p.value;
      events.add(new Op(p.process, p.outcome, p.f, p.key, completedValue, p.expected, null, p.end, -1));
    }
    // Stable: an invocation at the same instant as its own completion stays first.
    events.sort(Comparator.comparingLong(Op::timeNanos));
    return events;
  }
}
