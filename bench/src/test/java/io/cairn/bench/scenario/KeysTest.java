package io.cairn.bench.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KeysTest {
  /** etcd compares keys as unsigned bytes; so does ByteString's unsigned comparator. */
  private static int compare(ByteString a, ByteString b) {
    return ByteString.unsignedLexicographicalComparator().compare(a, b);
  }

  private static ByteString randomBytes(SplittableRandom random, int maxLength, int alphabet) {
    byte[] b = new byte[random.nextInt(maxLength + 1)];
    for (int i = 0; i < b.length; i++) {
      // A small alphabet near 0xff makes the carry cases of prefixEnd frequent.
      b[i] = (byte) (0xff - random.nextInt(alphabet));
    }
    return ByteString.copyFrom(b);
  }

  @Test
  void prefixEndSelectsExactlyTheKeysWithThePrefix() {
    long seed = 20261122;
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < 20_000; i++) {
      ByteString prefix = randomBytes(random, 3, 3);
      if (prefix.isEmpty()) {
        continue;
      }
      ByteString key = randomBytes(random, 5, 3);
      ByteString end = Keys.prefixEnd(prefix);
      boolean toEndOfKeyspace = end.equals(ByteString.copyFrom(new byte[] {0}));
      boolean inRange = compare(key, prefix) >= 0 && (toEndOfKeyspace || compare(key, end) < 0);
      assertEquals(key.startsWith(prefix), inRange,
          "seed " + seed + ": prefix " + prefix + ", key " + key + ", end " + end);
    }
  }

  @Test
  void successorIsTheNextKeyInOrder() {
    SplittableRandom random = new SplittableRandom(5);
    for (int i = 0; i < 5_000; i++) {
      ByteString a = randomBytes(random, 4, 256);
      ByteString b = randomBytes(random, 4, 256);
      ByteString next = Keys.successor(a);
      assertTrue(compare(next, a) > 0);
      // Nothing lies strictly between a key and its successor.
      assertTrue(!(compare(b, a) > 0 && compare(b, next) < 0), a + " < " + b + " < " + next);
    }
  }

  @Test
  void sequentialKeysAreDistinctFixedWidthAndInOrder() {
    KeySpace keys = new KeySpace("/k/", 4, 10_000, true, 3, 1);
    Set<ByteString> seen = new HashSet<>();
    ByteString previous = null;
    for (int i = 0; i < 10_000; i++) {
      ByteString k = keys.next(i % 3);
      assertEquals("/k/".length() + 4, k.size());
      assertTrue(seen.add(k), "duplicate " + k.toStringUtf8());
      if (previous != null) {
        assertTrue(compare(previous, k) < 0);
      }
      previous = k;
    }
    assertEquals(keys.key(0), keys.next(0), "sequential keys wrap after the largest number");
  }

  @Test
  void randomKeysStayInTheKeySpaceAndReplayWithTheSeed() {
    KeySpace a = new KeySpace("p", 6, 37, false, 2, 99);
    KeySpace b = new KeySpace("p", 6, 37, false, 2, 99);
    Set<ByteString> seen = new HashSet<>();
    for (int i = 0; i < 5_000; i++) {
      ByteString k = a.next(i % 2);
      assertEquals(k, b.next(i % 2));
      long n = Long.parseLong(k.toStringUtf8().substring(1));
      assertTrue(n >= 0 && n < 37, "out of key space: " + n);
      seen.add(k);
    }
    assertEquals(37, seen.size(), "5000 uniform draws cover a key space of 37");
  }

  @Test
  void keySpaceLargerThanTheDigitsIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new KeySpace("", 2, 101, false, 1, 0));
  }

  @Test
  void timestampedValuesCarryTheirSendTime() {
    long before = System.nanoTime();
    ByteString v = Values.timestamped(64);
    long after = System.nanoTime();
    assertEquals(64, v.size());
    long sent = Values.sentNanos(v);
    assertTrue(sent >= before && sent <= after);
    assertEquals(-1, Values.sentNanos(ByteString.copyFromUtf8("short")));
    assertThrows(IllegalArgumentException.class, () -> Values.timestamped(7));
  }
}
