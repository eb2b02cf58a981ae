package io.cairn.storage.wal;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Generators and small helpers shared by the wal tests. */
final class WalTestData {
  static final WalMetadata METADATA = new WalMetadata(0x1111L, 0xc1c1L);
  /** Small segments so that tests roll often. */
  static final WalOptions SMALL_SEGMENTS = new WalOptions(4096);

  private WalTestData() {}

  /** Entries {@code from..to} inclusive with random payloads of up to {@code maxData} bytes. */
  static List<WalEntry> entries(Random random, long from, long to, long term, int maxData) {
    List<WalEntry> out = new ArrayList<>();
    for (long index = from; index <= to; index++) {
      out.add(entry(random, index, term, maxData));
    }
    return out;
  }

  static WalEntry entry(Random random, long index, long term, int maxData) {
    byte[] data = new byte[random.nextInt(maxData + 1)];
    random.nextBytes(data);
    return new WalEntry(index, term, random.nextInt(2), data);
  }

  static List<Long> indexes(List<WalEntry> entries) {
    return entries.stream().map(WalEntry::index).toList();
  }
}
