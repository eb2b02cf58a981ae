package io.cairn.storage.mvcc;

import com.google.protobuf.ByteString;
import java.util.Arrays;

/**
 * The set of user keys a Range, DeleteRange or Compare names, with etcd's conventions for
 * {@code range_end}: empty means the single key; one zero byte means every key {@code >= key};
 * otherwise the half-open interval {@code [key, range_end)} (empty when {@code range_end <= key}).
 * Key {@code "\0"} with range_end {@code "\0"} is therefore every key.
 *
 * <p>Invariant: {@code start} is non-null; {@code endExclusive == null} means unbounded above.
 */
public final class KeyRange {
  private final byte[] start;
  private final byte[] endExclusive;
  /** Whether the range is exactly {@code start} (so a walk can stop after it). */
  private final boolean singleKey;

  private KeyRange(byte[] start, byte[] endExclusive, boolean singleKey) {
    this.start = start;
    this.endExclusive = endExclusive;
    this.singleKey = singleKey;
  }

  public static KeyRange of(ByteString key, ByteString rangeEnd) {
    return of(key.toByteArray(), rangeEnd.toByteArray());
  }

  public static KeyRange of(byte[] key, byte[] rangeEnd) {
    if (rangeEnd.length == 0) {
      return single(key);
    }
    if (rangeEnd.length == 1 && rangeEnd[0] == 0) {
      return new KeyRange(key.clone(), null, false);
    }
    return new KeyRange(key.clone(), rangeEnd.clone(), false);
  }

  public static KeyRange single(byte[] key) {
    return new KeyRange(key.clone(), Arrays.copyOf(key, key.length + 1), true);
  }

  public boolean isSingleKey() {
    return singleKey;
  }

  public byte[] start() {
    return start.clone();
  }

  /** Whether {@code key} lies at or after the end of this range (so a forward walk can stop). */
  public boolean isPastEnd(byte[] key) {
    return endExclusive != null && Arrays.compareUnsigned(key, endExclusive) >= 0;
  }

  public boolean contains(byte[] key) {
    return Arrays.compareUnsigned(key, start) >= 0 && !isPastEnd(key);
  }

  @Override
  public String toString() {
    return "[" + Arrays.toString(start) + ", " + (endExclusive == null ? "∞" : Arrays.toString(endExclusive)) + ")";
  }
}
