package io.cairn.storage.wal;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The fixed history behind the committed golden log {@code golden/wal-v1}: a log created with 1 KiB
 * segments, three entries, a snapshot marker, nine more entries (enough to roll into a second
 * segment, whose header repeats the metadata, hard state and marker) and an overwrite of the tail,
 * as raft does after a leader change. The committed files were written by this history with the
 * format as of the first release of the golden tests; they stand for a data directory an older
 * Cairn left behind.
 */
final class GoldenWal {
  static final String RESOURCE = "/golden/wal-v1";
  static final WalMetadata METADATA = new WalMetadata(0x1111L, 0xc1c1L);
  static final WalOptions OPTIONS = new WalOptions(1024);

  private GoldenWal() {}

  /** Writes the history into {@code dir}, which must not hold a log yet. */
  static void write(Path dir) throws IOException {
    try (Wal wal = Wal.create(dir, METADATA, OPTIONS)) {
      wal.append(new WalHardState(1, 1, 0), List.of(entry(1, 1, 1), entry(2, 1, 0), entry(3, 1, 0)));
      wal.sync();
      wal.saveSnapshot(2, 1);
      List<WalEntry> more = new ArrayList<>();
      for (long index = 4; index <= 12; index++) {
        more.add(entry(index, 2, 0));
      }
      wal.append(new WalHardState(2, 2, 3), more);
      wal.sync();
      wal.append(new WalHardState(3, 3, 10), List.of(entry(11, 3, 0)));
      wal.sync();
    }
  }

  /** An entry whose payload names it and is padded to 60 bytes, so a dozen of them fill a segment. */
  static WalEntry entry(long index, long term, int type) {
    byte[] data = new byte[60];
    byte[] name = ("entry " + index + " term " + term).getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(name, 0, data, 0, name.length);
    return new WalEntry(index, term, type, data);
  }

  /** The committed golden log directory. */
  static Path committed() {
    try {
      return Path.of(GoldenWal.class.getResource(RESOURCE).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The segment files of {@code dir}, sorted by name (which is log order). */
  static List<Path> segments(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().endsWith(SegmentName.SUFFIX)).sorted().toList();
    }
  }

  /** Copies the committed log into {@code dir}: opening a log may repair it, the committed copy stays as it is. */
  static void copyCommittedTo(Path dir) throws IOException {
    for (Path segment : segments(committed())) {
      Files.copy(segment, dir.resolve(segment.getFileName()));
    }
  }
}
