package io.cairn.storage.mvcc;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.cairn.api.mvccpb.KeyValue;
import java.util.Arrays;

/**
 * Encoding of values in the {@code history} column family: one flag byte, then for a put the
 * serialized {@link KeyValue} without its key (the key is already in the history key, no need to
 * store it twice); a tombstone has no payload.
 */
public final class HistoryValue {
  static final byte PUT = 0;
  static final byte TOMBSTONE = 1;
  private static final byte[] TOMBSTONE_VALUE = {TOMBSTONE};

  private HistoryValue() {}

  public static byte[] put(KeyValue kv) {
    byte[] body = kv.toBuilder().clearKey().build().toByteArray();
    byte[] out = new byte[body.length + 1];
    out[0] = PUT;
    System.arraycopy(body, 0, out, 1, body.length);
    return out;
  }

  public static byte[] tombstone() {
    return TOMBSTONE_VALUE.clone();
  }

  public static boolean isTombstone(byte[] value) {
    if (value.length == 0 || (value[0] != PUT && value[0] != TOMBSTONE)) {
      throw new IllegalStateException("malformed history value: " + Arrays.toString(value));
    }
    return value[0] == TOMBSTONE;
  }

  /** The stored key-value of a put, with its key restored. */
  public static KeyValue decodePut(byte[] userKey, byte[] value) {
    if (isTombstone(value)) {
      throw new IllegalStateException("decodePut on a tombstone");
    }
    try {
      return KeyValue.newBuilder()
          .mergeFrom(value, 1, value.length - 1)
          .setKey(ByteString.copyFrom(userKey))
          .build();
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("corrupt history value for key " + Arrays.toString(userKey), e);
    }
  }
}
