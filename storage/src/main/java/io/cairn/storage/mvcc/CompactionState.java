package io.cairn.storage.mvcc;

import java.nio.ByteBuffer;

/**
 * Progress of physical compaction, persisted in {@code meta} so a crash in the middle resumes
 * where it stopped.
 *
 * @param scheduled the revision of the last compaction request (-1 if none)
 * @param finished the revision up to which superseded history has been deleted (-1 if none);
 *     physical compaction is pending while {@code scheduled > finished}
 * @param cursor the next {@code revisions} entry to examine for {@code scheduled}
 */
record CompactionState(long scheduled, long finished, Revision cursor) {
  static final CompactionState NONE = new CompactionState(-1, -1, new Revision(0, 0));

  boolean pending() {
    return scheduled > finished;
  }

  /** A newly scheduled compaction restarts the walk: entries kept earlier may now be superseded. */
  CompactionState schedule(long revision) {
    return new CompactionState(revision, finished, new Revision(0, 0));
  }

  byte[] encode() {
    return ByteBuffer.allocate(32).putLong(scheduled).putLong(finished)
        .putLong(cursor.main()).putLong(cursor.sub()).array();
  }

  static CompactionState decode(byte[] value) {
    if (value == null) {
      return NONE;
    }
    if (value.length != 32) {
      throw new IllegalStateException("compaction state must be 32 bytes, got " + value.length);
    }
    ByteBuffer buffer = ByteBuffer.wrap(value);
    return new CompactionState(buffer.getLong(), buffer.getLong(),
        new Revision(buffer.getLong(), buffer.getLong()));
  }
}
