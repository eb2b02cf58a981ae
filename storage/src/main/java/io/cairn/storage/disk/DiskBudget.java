package io.cairn.storage.disk;

import io.cairn.storage.mvcc.MvccOptions;

/**
 * What a member's files may take on a volume with {@code freeBytes} free when it starts, so that a
 * small data volume (64 MiB) works as well as a large one. etcd preallocates 64 MiB WAL segments
 * whatever the disk; Cairn scales them, and RocksDB's memtables and info LOG, to the free space:
 *
 * <ul>
 *   <li>a WAL segment is {@code free / 8}, between {@value #MIN_SEGMENT_BYTES} bytes and the
 *       configured size (etcd's 64 MiB by default). Two are preallocated at a time (the one being
 *       written and the next), so the log starts by taking a quarter of the free space at most;
 *   <li>a memtable is {@code free / 32}, between 1 MiB and the configured size (8 MiB): a flush
 *       writes about that much per column family;
 *   <li>an info LOG file is {@code free / 128}, between 256 KiB and 8 MiB; RocksDB keeps
 *       {@value MvccOptions#KEPT_INFO_LOG_FILES} old ones.
 * </ul>
 *
 * <p>{@link #reserveBytes()} is the free space below which the member raises the NOSPACE alarm
 * and refuses new data: enough for one more WAL roll and one flush of every memtable, so deletes,
 * compaction and the raft traffic of a full member still have room.
 *
 * @param freeBytes usable bytes on the volume when the member started (-1: unknown, full sizes)
 */
public record DiskBudget(long freeBytes, long walSegmentBytes, long writeBufferBytes, long infoLogFileBytes) {
  public static final long MIN_SEGMENT_BYTES = 1L << 20;
  static final long MIN_WRITE_BUFFER_BYTES = 1L << 20;
  static final long MIN_INFO_LOG_FILE_BYTES = 256L << 10;
  static final long MAX_INFO_LOG_FILE_BYTES = 8L << 20;
  /** Column families that take writes (history, revisions, meta), each with its own memtables. */
  private static final int WRITTEN_FAMILIES = 3;

  /**
   * @param freeBytes usable bytes on the data volume, or -1 if unknown
   * @param maxSegmentBytes the configured WAL segment size, used whole on a roomy disk
   * @param maxWriteBufferBytes the configured memtable size, used whole on a roomy disk
   */
  public static DiskBudget forFreeSpace(long freeBytes, long maxSegmentBytes, long maxWriteBufferBytes) {
    if (freeBytes < 0) {
      return new DiskBudget(freeBytes, maxSegmentBytes, maxWriteBufferBytes, MAX_INFO_LOG_FILE_BYTES);
    }
    return new DiskBudget(freeBytes,
        clamp(freeBytes / 8 / MIN_SEGMENT_BYTES * MIN_SEGMENT_BYTES, MIN_SEGMENT_BYTES, maxSegmentBytes),
        clamp(freeBytes / 32, MIN_WRITE_BUFFER_BYTES, maxWriteBufferBytes),
        clamp(freeBytes / 128, MIN_INFO_LOG_FILE_BYTES, MAX_INFO_LOG_FILE_BYTES));
  }

  /** Free space below which new data is refused (NOSPACE): one more WAL segment, one flush of every memtable. */
  public long reserveBytes() {
    return walSegmentBytes + WRITTEN_FAMILIES * writeBufferBytes;
  }

  /** {@code value} within [min, max]; a max below min wins (a configured size smaller than the floor stays). */
  private static long clamp(long value, long min, long max) {
    return Math.min(max, Math.max(min, value));
  }

  /** The store's options {@code base} with this budget's memtable and info LOG sizes. */
  public MvccOptions applyTo(MvccOptions base) {
    return base.withWriteBufferBytes(writeBufferBytes).withInfoLogFileBytes(infoLogFileBytes);
  }

  /** One line for the start-up log. */
  public String describe() {
    return (freeBytes < 0 ? "free space unknown" : mib(freeBytes) + " free") + ": wal segments of "
        + mib(walSegmentBytes) + " (2 preallocated), memtables of " + mib(writeBufferBytes)
        + ", rocksdb info logs of " + mib(infoLogFileBytes) + " (" + MvccOptions.KEPT_INFO_LOG_FILES + " kept)"
        + "; NOSPACE alarm below " + mib(reserveBytes()) + " free";
  }

  static String mib(long bytes) {
    return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
  }
}
