package io.cairn.storage.wal;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Measures what one raft Ready batch costs the member: append + sync, for a single 300-byte entry
 * and for batches of 64 such entries, with the default 64 MiB segments. Not a test (surefire does
 * not pick it up); run it by hand:
 *
 * <pre>
 *   java -cp storage/target/classes:storage/target/test-classes:$DEPS \
 *       io.cairn.storage.wal.WalLatencyBenchmark [directory] [iterations]
 * </pre>
 *
 * The directory must be on the disk under test (default: a new temporary directory under /tmp).
 */
public final class WalLatencyBenchmark {
  private static final int ENTRY_BYTES = 300;
  private static final long SEED = 42;

  private WalLatencyBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path parent = args.length > 0 ? Path.of(args[0]) : Path.of(System.getProperty("java.io.tmpdir"));
    int iterations = args.length > 1 ? Integer.parseInt(args[1]) : 5000;
    Path dir = Files.createTempDirectory(parent, "wal-bench-");
    try {
      System.out.printf("wal append+sync latency, %d-byte entries, %d iterations each, dir %s%n",
          ENTRY_BYTES, iterations, dir);
      rawFloor(dir.resolve("raw"), iterations);
      run(dir.resolve("single"), 1, iterations);
      run(dir.resolve("batch64"), 64, iterations / 4);
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path file : files.sorted((a, b) -> b.compareTo(a)).toList()) {
          Files.delete(file);
        }
      }
    }
  }

  private static void run(Path dir, int batchSize, int iterations) throws Exception {
    Random random = new Random(SEED);
    long[] micros = new long[iterations];
    int warmup = Math.max(200, iterations / 5);
    try (Wal wal = Wal.create(dir, new WalMetadata(1, 1), WalOptions.DEFAULTS)) {
      long index = 1;
      for (int i = -warmup; i < iterations; i++) {
        List<WalEntry> batch = new ArrayList<>(batchSize);
        for (int j = 0; j < batchSize; j++) {
          byte[] data = new byte[ENTRY_BYTES];
          random.nextBytes(data);
          batch.add(new WalEntry(index++, 1, 0, data));
        }
        WalHardState hardState = new WalHardState(1, 1, index - 1);
        long start = System.nanoTime();
        wal.append(hardState, batch);
        wal.sync();
        long elapsed = System.nanoTime() - start;
        if (i >= 0) {
          micros[i] = elapsed / 1000;
        }
      }
      report("wal batch of " + batchSize, micros, String.format("  (%d segments, %.1f MB written)",
          wal.segments().size(), (iterations + warmup) * (double) batchSize * ENTRY_BYTES / 1e6));
    }
  }

  /** The disk's floor for comparison: a positional 300-byte write plus fdatasync, nothing else. */
  private static void rawFloor(Path file, int iterations) throws Exception {
    long[] micros = new long[iterations];
    SegmentPreallocator.createZeroed(file, WalOptions.DEFAULT_SEGMENT_BYTES);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ByteBuffer data = ByteBuffer.allocateDirect(ENTRY_BYTES);
      for (int i = 0; i < iterations; i++) {
        data.clear();
        long start = System.nanoTime();
        channel.write(data, (long) i * ENTRY_BYTES);
        channel.force(false);
        micros[i] = (System.nanoTime() - start) / 1000;
      }
    }
    report("raw write+fdatasync", micros, "");
  }

  private static void report(String what, long[] micros, String extra) {
    System.out.printf("%-20s p50 %5d us  p90 %5d us  p99 %5d us  p99.9 %6d us  max %6d us%s%n",
        what, percentile(micros, 50), percentile(micros, 90), percentile(micros, 99),
        percentile(micros, 99.9), percentile(micros, 100), extra);
  }

  private static long percentile(long[] values, double percent) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(percent / 100 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank))];
  }
}
