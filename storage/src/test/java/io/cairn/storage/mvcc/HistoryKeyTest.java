package io.cairn.storage.mvcc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HistoryKeyTest {
  private static final long SEED = 20261122L;

  /** Keys drawn from a tiny alphabet with 0x00 and 0xFF so prefixes and escapes are frequent. */
  private static byte[] randomKey(SplittableRandom random) {
    byte[] alphabet = {0x00, 0x01, 0x02, (byte) 0xFE, (byte) 0xFF, 'a'};
    byte[] key = new byte[1 + random.nextInt(4)];
    for (int i = 0; i < key.length; i++) {
      key[i] = alphabet[random.nextInt(alphabet.length)];
    }
    return key;
  }

  private static Revision randomRevision(SplittableRandom random) {
    return new Revision(random.nextLong(0, 1L << 40), random.nextInt(3));
  }

  @Test
  void encodedOrderIsUserKeyOrderThenNewestRevisionFirst() {
    SplittableRandom random = new SplittableRandom(SEED);
    for (int i = 0; i < 20_000; i++) {
      byte[] k1 = randomKey(random);
      byte[] k2 = randomKey(random);
      Revision r1 = randomRevision(random);
      Revision r2 = random.nextInt(4) == 0 ? r1 : randomRevision(random);
      int byKey = Arrays.compareUnsigned(k1, k2);
      int expected = byKey != 0 ? byKey : r2.compareTo(r1);
      int actual = Arrays.compareUnsigned(HistoryKey.encode(k1, r1), HistoryKey.encode(k2, r2));
      assertEquals(Integer.signum(expected), Integer.signum(actual),
          "seed " + SEED + " iteration " + i + ": " + Arrays.toString(k1) + "@" + r1 + " vs " + Arrays.toString(k2) + "@" + r2);
    }
  }

  @Test
  void decodeRestoresKeyAndRevision() {
    SplittableRandom random = new SplittableRandom(SEED + 1);
    for (int i = 0; i < 5_000; i++) {
      byte[] key = randomKey(random);
      Revision revision = randomRevision(random);
      byte[] encoded = HistoryKey.encode(key, revision);
      assertArrayEquals(key, HistoryKey.userKey(encoded));
      assertEquals(revision, HistoryKey.revision(encoded));
    }
  }

  @Test
  void seekTargetsBracketTheVersionsOfOneKey() {
    SplittableRandom random = new SplittableRandom(SEED + 2);
    for (int i = 0; i < 20_000; i++) {
      byte[] key = randomKey(random);
      byte[] other = randomKey(random);
      Revision version = randomRevision(random);
      long readAt = random.nextLong(0, 1L << 40);
      byte[] encoded = HistoryKey.encode(key, version);
      // newestAtOrBelow(k, R) <= a version of k exactly when that version's main is <= R.
      assertEquals(version.main() <= readAt,
          Arrays.compareUnsigned(HistoryKey.newestAtOrBelow(key, readAt), encoded) <= 0);
      assertTrue(Arrays.compareUnsigned(HistoryKey.firstOf(key), encoded) < 0);
      assertTrue(Arrays.compareUnsigned(HistoryKey.afterAllOf(key), encoded) > 0);
      if (Arrays.compareUnsigned(other, key) > 0) {
        assertTrue(Arrays.compareUnsigned(HistoryKey.afterAllOf(key),
            HistoryKey.encode(other, randomRevision(random))) <= 0);
      }
    }
  }

  @Test
  void prefixKeysSortBeforeTheirExtensions() {
    Revision r = new Revision(5, 0);
    byte[][] ordered = {{'a'}, {'a', 0x00}, {'a', 0x00, 0x00}, {'a', 0x01}, {'a', (byte) 0xFF}, {'b'}};
    for (int i = 0; i + 1 < ordered.length; i++) {
      assertTrue(Arrays.compareUnsigned(HistoryKey.encode(ordered[i], new Revision(1, 0)),
          HistoryKey.encode(ordered[i + 1], r)) < 0, "index " + i);
    }
  }
}
