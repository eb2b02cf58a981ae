package io.cairn.jepsen.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Calibration on a small hand-made store history: correct streams pass, each planted fault is named. */
class WatchCheckerTest {

  /** rev 2 put a, rev 3 put b, rev 4 a txn putting a and b, rev 5 delete a, rev 6 put a again. */
  private static final List<StoreEvent> HISTORY =
      List.of(
          StoreEvent.put(2, "a", "a1"),
          StoreEvent.put(3, "b", "b1"),
          StoreEvent.put(4, "a", "a2"),
          StoreEvent.put(4, "b", "b2"),
          StoreEvent.delete(5, "a"),
          StoreEvent.put(6, "a", "a3"));

  private final WatchChecker checker = new WatchChecker();
  private final StoreHistory store = new StoreHistory(HISTORY);

  /** Every key from "a" on, from revision 2, with prev_kv; each revision in its own response. */
  private static List<ReceivedEvent> allKeysStream() {
    return new ArrayList<>(
        List.of(
            new ReceivedEvent(0, 2, "a", EventType.PUT, "a1", null),
            new ReceivedEvent(1, 3, "b", EventType.PUT, "b1", null),
            new ReceivedEvent(2, 4, "a", EventType.PUT, "a2", "a1"),
            new ReceivedEvent(2, 4, "b", EventType.PUT, "b2", "b1"),
            new ReceivedEvent(3, 5, "a", EventType.DELETE, null, "a2"),
            new ReceivedEvent(4, 6, "a", EventType.PUT, "a3", null)));
  }

  private WatchCheckResult checkAllKeys(List<ReceivedEvent> events) {
    return checker.check(store, HISTORY, List.of(new WatcherStream("w", "a", "\0", 2, 6, true, events)));
  }

  @Test
  void correctStreamsAreAccepted() {
    WatcherStream all = new WatcherStream("all", "a", "\0", 2, 6, true, allKeysStream());
    WatcherStream onlyA =
        new WatcherStream(
            "a-from-4",
            "a",
            null,
            4,
            6,
            false,
            List.of(
                new ReceivedEvent(0, 4, "a", EventType.PUT, "a2", null),
                new ReceivedEvent(0, 5, "a", EventType.DELETE, null, null),
                new ReceivedEvent(1, 6, "a", EventType.PUT, "a3", null)));
    WatcherStream caughtUpTo3 =
        new WatcherStream("b-until-3", "b", "c", 2, 3, false, List.of(new ReceivedEvent(0, 3, "b", EventType.PUT, "b1", null)));
    WatchCheckResult result = checker.check(store, HISTORY, List.of(all, onlyA, caughtUpTo3));
    assertTrue(result.valid(), result.anomalies().toString());
    assertEquals(10, result.eventsChecked());
  }

  @Test
  void aMissingEventIsAGap() {
    List<ReceivedEvent> events = allKeysStream();
    events.remove(1);
    WatchCheckResult result = checkAllKeys(events);
    assertEquals(Set.of(WatchAnomalyType.GAP), result.types(), result.anomalies().toString());
    assertEquals(3, result.anomalies().get(0).revision());
  }

  @Test
  void anEventReceivedTwiceIsADuplicate() {
    List<ReceivedEvent> events = allKeysStream();
    events.add(2, events.get(1));
    assertEquals(Set.of(WatchAnomalyType.DUPLICATE), checkAllKeys(events).types());
  }

  @Test
  void aLowerRevisionAfterAHigherOneIsOutOfOrder() {
    List<ReceivedEvent> events = allKeysStream();
    events.set(0, allKeysStream().get(1));
    events.set(1, allKeysStream().get(0));
    assertEquals(Set.of(WatchAnomalyType.OUT_OF_ORDER), checkAllKeys(events).types());
  }

  @Test
  void aRevisionSpreadOverTwoResponsesIsSplit() {
    List<ReceivedEvent> events = allKeysStream();
    events.set(3, new ReceivedEvent(3, 4, "b", EventType.PUT, "b2", "b1"));
    WatchCheckResult result = checkAllKeys(events);
    assertEquals(Set.of(WatchAnomalyType.SPLIT_REVISION), result.types());
    assertEquals("b", result.anomalies().get(0).key());
  }

  @Test
  void aPrevKvThatIsNotTheValueJustBeforeIsWrong() {
    List<ReceivedEvent> events = allKeysStream();
    events.set(4, new ReceivedEvent(3, 5, "a", EventType.DELETE, null, "a1")); // a2 was the value before
    assertEquals(Set.of(WatchAnomalyType.WRONG_PREV_KV), checkAllKeys(events).types());
    List<ReceivedEvent> missing = allKeysStream();
    missing.set(2, new ReceivedEvent(2, 4, "a", EventType.PUT, "a2", null)); // asked for, not sent
    assertEquals(Set.of(WatchAnomalyType.WRONG_PREV_KV), checkAllKeys(missing).types());
  }

  @Test
  void anEventTheStoreNeverHadIsAPhantom() {
    List<ReceivedEvent> events = allKeysStream();
    events.set(5, new ReceivedEvent(4, 6, "a", EventType.PUT, "a4", null));
    WatchCheckResult result = checkAllKeys(events);
    // the real revision-6 event was not received either
    assertEquals(Set.of(WatchAnomalyType.PHANTOM, WatchAnomalyType.GAP), result.types(), result.anomalies().toString());
  }

  @Test
  void anEventOutsideTheWatchedKeysIsUnwatched() {
    WatcherStream onlyA =
        new WatcherStream("a", "a", null, 3, 3, false, List.of(new ReceivedEvent(0, 3, "b", EventType.PUT, "b1", null)));
    assertEquals(Set.of(WatchAnomalyType.UNWATCHED), checker.check(store, HISTORY, List.of(onlyA)).types());
  }

  @Test
  void anAcknowledgedWriteMissingFromTheStoreIsLost() {
    List<StoreEvent> acknowledged = new ArrayList<>(HISTORY);
    acknowledged.add(StoreEvent.put(7, "b", "b3"));
    WatchCheckResult result = checker.check(store, acknowledged, List.of());
    assertEquals(Set.of(WatchAnomalyType.LOST_WRITE), result.types());
  }

  @Test
  void theHelperDeliversTheHandWrittenStream() {
    List<ReceivedEvent> delivered = CorrectStreams.deliver(HISTORY, "a", "\0", 2, 6, true, new SplittableRandom(1));
    List<ReceivedEvent> expected = allKeysStream();
    assertEquals(expected.size(), delivered.size());
    for (int i = 0; i < expected.size(); i++) {
      ReceivedEvent e = expected.get(i);
      ReceivedEvent d = delivered.get(i);
      assertEquals(List.of(e.revision(), e.key(), e.type(), String.valueOf(e.value()), String.valueOf(e.prevValue())),
          List.of(d.revision(), d.key(), d.type(), String.valueOf(d.value()), String.valueOf(d.prevValue())));
    }
  }
}
