package io.cairn.storage.wal;

/**
 * Tuning of a log. Segment size trades recovery scan time and release granularity against how often
 * the append path pays for a roll (one extra fsync and a directory fsync).
 *
 * @param segmentBytes size each segment is preallocated to; a segment rolls once its records reach it
 */
public record WalOptions(long segmentBytes) {
  /** etcd's segment size: 64 MiB. */
  public static final long DEFAULT_SEGMENT_BYTES = 64L * 1024 * 1024;

  public static final WalOptions DEFAULTS = new WalOptions(DEFAULT_SEGMENT_BYTES);

  public WalOptions {
    if (segmentBytes < 1024) {
      throw new IllegalArgumentException("segmentBytes must be at least 1024, got " + segmentBytes);
    }
  }
}
