package io.cairn.jepsen;

import io.cairn.jepsen.history.OpType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Test helper for the history generators: random, overlapping operation intervals for concurrent
 * clients, each with a point inside it at which a generator applies the operation to a real sequential
 * object. Applying operations in point order is what makes the generated histories correct by
 * construction. A client whose operation is indeterminate is retired and replaced by a fresh process id,
 * as a real workload does.
 */
public final class ConcurrentSchedule {

  /**
   * One planned operation.
   *
   * @param process the client
   * @param start invocation time
   * @param point the instant it takes effect, in [start, end]
   * @param end completion time
   * @param outcome OK, FAIL (never takes effect) or INFO (the generator decides whether it takes effect)
   */
  public record Slot(int process, long start, long point, long end, OpType outcome) {}

  private ConcurrentSchedule() {}

  /**
   * @param failOneIn one operation in this many fails (0: none)
   * @param timeoutOneIn one operation in this many is indeterminate
   * @return the slots sorted by point
   */
  public static List<Slot> plan(SplittableRandom random, int clients, int opsPerClient, int failOneIn, int timeoutOneIn) {
    List<Slot> slots = new ArrayList<>();
    int nextProcess = clients;
    for (int slot = 0; slot < clients; slot++) {
      int process = slot;
      long time = random.nextLong(0, 50);
      for (int i = 0; i < opsPerClient; i++) {
        long start = time + random.nextLong(1, 20);
        long point = start + random.nextLong(0, 40);
        long end = point + random.nextLong(0, 40);
        OpType outcome = OpType.OK;
        if (failOneIn > 0 && random.nextInt(failOneIn) == 0) {
          outcome = OpType.FAIL;
        } else if (random.nextInt(timeoutOneIn) == 0) {
          outcome = OpType.INFO;
        }
        slots.add(new Slot(process, start, point, end, outcome));
        if (outcome == OpType.INFO) {
          process = nextProcess++;
        }
        time = end;
      }
    }
    slots.sort(Comparator.comparingLong(Slot::point));
    return slots;
  }
}
