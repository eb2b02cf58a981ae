package io.cairn.jepsen.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Property calibration: for random store histories and watchers, the streams a correct server delivers
 * are accepted, and each single planted fault (drop, duplicate, swap, split, bad prev_kv) is reported as
 * exactly that fault. A failing seed is in the message.
 */
class RandomWatchStreamTest {

  private static final long BASE_SEED = 0xEA7CL;
  private static final int SEEDS = 300;
  private static final int KEYS = 6;

  private final WatchChecker checker = new WatchChecker();

  private record Scenario(List<StoreEvent> history, List<WatcherStream> watchers) {}

  private static Scenario scenario(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<StoreEvent> history = new ArrayList<>();
    Set<String> present = new HashSet<>();
    int lastRevision = 1 + random.nextInt(5, 40);
    int value = 0;
    for (long revision = 2; revision <= lastRevision; revision++) {
      Set<String> touched = new HashSet<>();
      int changes = random.nextInt(1, 4);
      for (int c = 0; c < changes; c++) {
        String key = "k" + random.nextInt(KEYS);
        if (!touched.add(key)) {
          continue;
        }
        if (present.contains(key) && random.nextInt(4) == 0) {
          history.add(StoreEvent.delete(revision, key));
          present.remove(key);
        } else {
          history.add(StoreEvent.put(revision, key, "v" + value++));
          present.add(key);
        }
      }
    }
    List<WatcherStream> watchers = new ArrayList<>();
    for (int w = 0; w < 4; w++) {
      String key = "k" + random.nextInt(KEYS);
      String rangeEnd = switch (random.nextInt(3)) {
        case 0 -> null;
        case 1 -> "\0";
        default -> "k" + random.nextInt(KEYS + 1);
      };
      long start = random.nextLong(2, lastRevision + 1);
      long end = random.nextLong(start - 1, lastRevision + 1);
      boolean prevKv = random.nextBoolean();
      List<ReceivedEvent> events = CorrectStreams.deliver(history, key, rangeEnd, start, end, prevKv, random);
      watchers.add(new WatcherStream("w" + w, key, rangeEnd, start, end, prevKv, events));
    }
    return new Scenario(history, watchers);
  }

  private WatchCheckResult check(Scenario s, List<WatcherStream> watchers) {
    return checker.check(new StoreHistory(s.history()), s.history(), watchers);
  }

  @Test
  void streamsOfACorrectServerAreAccepted() {
    for (long seed = BASE_SEED; seed < BASE_SEED + SEEDS; seed++) {
      Scenario s = scenario(seed);
      WatchCheckResult result = check(s, s.watchers());
      assertTrue(result.valid(), "seed " + seed + ": " + result.anomalies());
    }
  }

  @Test
  void eachPlantedFaultIsReportedAsItself() {
    Map<WatchAnomalyType, Integer> planted = new HashMap<>();
    for (long seed = BASE_SEED; seed < BASE_SEED + SEEDS; seed++) {
      Scenario s = scenario(seed);
      SplittableRandom random = new SplittableRandom(~seed);
      WatcherStream victim = s.watchers().get(random.nextInt(s.watchers().size()));
      List<ReceivedEvent> events = new ArrayList<>(victim.events());
      WatchAnomalyType fault = WatchFaults.plant(events, random);
      if (fault == null) {
        continue;
      }
      planted.merge(fault, 1, Integer::sum);
      List<WatcherStream> watchers = new ArrayList<>(s.watchers());
      watchers.set(watchers.indexOf(victim), new WatcherStream(victim.id(), victim.key(), victim.rangeEnd(),
          victim.startRevision(), victim.endRevision(), victim.prevKv(), events));
      WatchCheckResult result = check(s, watchers);
      assertEquals(Set.of(fault), result.types(), "seed " + seed + ": " + result.anomalies());
    }
    for (WatchAnomalyType type : WatchFaults.PLANTABLE) {
      assertTrue(planted.getOrDefault(type, 0) >= 5, "too few " + type + " planted: " + planted);
    }
  }
}
