package io.cairn.jepsen.watch;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Test helper: plants one fault of a random kind into a correct watch stream. */
final class WatchFaults {

  static final List<WatchAnomalyType> PLANTABLE =
      List.of(
          WatchAnomalyType.GAP,
          WatchAnomalyType.DUPLICATE,
          WatchAnomalyType.OUT_OF_ORDER,
          WatchAnomalyType.SPLIT_REVISION,
          WatchAnomalyType.WRONG_PREV_KV);

  private WatchFaults() {}

  /**
   * Changes {@code events} in place.
   *
   * @return the fault planted, or null when the stream is too short for the kind drawn
   */
  static WatchAnomalyType plant(List<ReceivedEvent> events, SplittableRandom random) {
    if (events.isEmpty()) {
      return null;
    }
    WatchAnomalyType fault = PLANTABLE.get(random.nextInt(PLANTABLE.size()));
    int i = random.nextInt(events.size());
    ReceivedEvent e = events.get(i);
    switch (fault) {
      case GAP -> events.remove(i);
      case DUPLICATE -> events.add(i + 1, e);
      case OUT_OF_ORDER -> {
        int next = firstOfLaterRevision(events, i);
        if (next < 0) {
          return null;
        }
        events.set(i, events.get(next));
        events.set(next, e);
      }
      case SPLIT_REVISION -> {
        List<Integer> sameRevision = new ArrayList<>();
        for (int j = 0; j < events.size(); j++) {
          if (events.get(j).revision() == e.revision()) {
            sameRevision.add(j);
          }
        }
        if (sameRevision.size() < 2) {
          return null;
        }
        int last = sameRevision.get(sameRevision.size() - 1);
        ReceivedEvent moved = events.get(last);
        events.set(last, new ReceivedEvent(
            Long.MAX_VALUE, moved.revision(), moved.key(), moved.type(), moved.value(), moved.prevValue()));
      }
      case WRONG_PREV_KV ->
          events.set(i, new ReceivedEvent(e.response(), e.revision(), e.key(), e.type(), e.value(), "bogus"));
      default -> throw new IllegalStateException("not plantable: " + fault);
    }
    return fault;
  }

  /** The index of the first event after {@code i} with a higher revision, or -1. */
  private static int firstOfLaterRevision(List<ReceivedEvent> events, int i) {
    for (int j = i + 1; j < events.size(); j++) {
      if (events.get(j).revision() > events.get(i).revision()) {
        return j;
      }
    }
    return -1;
  }
}
