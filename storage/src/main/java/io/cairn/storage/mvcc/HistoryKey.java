package io.cairn.storage.mvcc;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Encoding of keys in the {@code history} column family: {@code escape(userKey) ‖ 0x00 0x01 ‖
 * ~main ‖ ~sub} (both revision parts inverted, 8 bytes big-endian).
 *
 * <p>Why this shape: RocksDB orders keys by unsigned bytes. Escaping every 0x00 of the user key
 * as 0x00 0xFF and ending it with 0x00 0x01 keeps user-key order intact even when one key is a
 * prefix of another or contains zero bytes, so all versions of one user key are contiguous and
 * user keys appear in etcd's order. Inverting the revision puts the newest version of a key
 * first, so one seek to {@code escape(k) ‖ 0x00 0x01 ‖ ~R} lands on the newest version at or
 * below revision R, and a seek to {@code escape(k) ‖ 0x00 0x02} skips every version of k at once.
 */
public final class HistoryKey {
  private static final byte ESCAPE_FOLLOWER = (byte) 0xFF;
  private static final byte TERMINATOR_SECOND = 0x01;
  private static final byte AFTER_KEY_SECOND = 0x02;
  private static final int REVISION_BYTES = 16;

  private HistoryKey() {}

  /** The history key of one change to {@code userKey}. */
  public static byte[] encode(byte[] userKey, Revision revision) {
    ByteBuffer out = prefix(userKey, TERMINATOR_SECOND, REVISION_BYTES);
    out.putLong(~revision.main()).putLong(~revision.sub());
    return out.array();
  }

  /** The smallest history key of {@code userKey}: seeking to it lands on its newest version. */
  public static byte[] firstOf(byte[] userKey) {
    return prefix(userKey, TERMINATOR_SECOND, 0).array();
  }

  /**
   * Seek target landing on the newest version of {@code userKey} whose main revision is at most
   * {@code main}: an all-zero sub field sorts before the inverted form of every real sub.
   */
  public static byte[] newestAtOrBelow(byte[] userKey, long main) {
    ByteBuffer out = prefix(userKey, TERMINATOR_SECOND, REVISION_BYTES);
    out.putLong(~main).putLong(0L);
    return out.array();
  }

  /** Seek target just after every version of {@code userKey}: the first version of the next user key. */
  public static byte[] afterAllOf(byte[] userKey) {
    return prefix(userKey, AFTER_KEY_SECOND, 0).array();
  }

  private static ByteBuffer prefix(byte[] userKey, byte terminatorSecond, int extra) {
    int zeros = 0;
    for (byte b : userKey) {
      if (b == 0) {
        zeros++;
      }
    }
    ByteBuffer out = ByteBuffer.allocate(userKey.length + zeros + 2 + extra);
    for (byte b : userKey) {
      out.put(b);
      if (b == 0) {
        out.put(ESCAPE_FOLLOWER);
      }
    }
    out.put((byte) 0).put(terminatorSecond);
    return out;
  }

  /** The user key a history key belongs to. */
  public static byte[] userKey(byte[] historyKey) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(historyKey.length);
    int i = 0;
    while (true) {
      if (i + 1 >= historyKey.length) {
        throw new IllegalStateException("history key without terminator: " + Arrays.toString(historyKey));
      }
      byte b = historyKey[i];
      if (b != 0) {
        out.write(b);
        i++;
        continue;
      }
      byte next = historyKey[i + 1];
      if (next == ESCAPE_FOLLOWER) {
        out.write(0);
        i += 2;
      } else if (next == TERMINATOR_SECOND) {
        return out.toByteArray();
      } else {
        throw new IllegalStateException("bad escape in history key: " + Arrays.toString(historyKey));
      }
    }
  }

  /** The revision of the change a history key names. */
  public static Revision revision(byte[] historyKey) {
    if (historyKey.length < REVISION_BYTES + 2) {
      throw new IllegalStateException("history key too short: " + Arrays.toString(historyKey));
    }
    ByteBuffer tail = ByteBuffer.wrap(historyKey, historyKey.length - REVISION_BYTES, REVISION_BYTES);
    return new Revision(~tail.getLong(), ~tail.getLong());
  }
}
