package io.cairn.storage.mvcc;

import java.nio.ByteBuffer;

/**
 * Encoding of keys in the {@code revisions} column family: main ‖ sub, 8 bytes big-endian each,
 * so RocksDB's byte order is revision order. The value is a {@link ChangeRef}: which user key
 * changed there and whether the change was a delete. Watch replay and compaction walk this
 * family in revision order and find the change itself in {@code history}.
 */
public final class RevisionKey {
  static final int BYTES = 16;

  private RevisionKey() {}

  public static byte[] encode(Revision revision) {
    return ByteBuffer.allocate(BYTES).putLong(revision.main()).putLong(revision.sub()).array();
  }

  /** Seek target for the first change of main revision {@code main}. */
  public static byte[] firstOfMain(long main) {
    return encode(new Revision(main, 0));
  }

  public static Revision decode(byte[] key) {
    if (key.length != BYTES) {
      throw new IllegalStateException("revisions key must be " + BYTES + " bytes, got " + key.length);
    }
    ByteBuffer buffer = ByteBuffer.wrap(key);
    return new Revision(buffer.getLong(), buffer.getLong());
  }
}
