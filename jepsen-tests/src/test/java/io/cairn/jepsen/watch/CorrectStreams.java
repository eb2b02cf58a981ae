package io.cairn.jepsen.watch;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Test helper: the stream a correct etcd would deliver to a watcher over a given store history, each
 * revision in one response, with responses sometimes batching several revisions (as etcd does).
 */
final class CorrectStreams {

  private CorrectStreams() {}

  static List<ReceivedEvent> deliver(
      List<StoreEvent> history, String key, String rangeEnd, long start, long end, boolean prevKv, SplittableRandom random) {
    StoreHistory store = new StoreHistory(history);
    WatcherStream filter = new WatcherStream("filter", key, rangeEnd, start, end, prevKv, List.of());
    List<ReceivedEvent> events = new ArrayList<>();
    long response = 0;
    long lastRevision = -1;
    for (StoreEvent change : store.changesBetween(start, end)) {
      if (!filter.watches(change.key())) {
        continue;
      }
      if (lastRevision != -1 && change.revision() != lastRevision && random.nextBoolean()) {
        response++;
      }
      lastRevision = change.revision();
      String prev = prevKv ? store.valueBefore(change.revision(), change.key()) : null;
      events.add(new ReceivedEvent(response, change.revision(), change.key(), change.type(), change.value(), prev));
    }
    return events;
  }
}
