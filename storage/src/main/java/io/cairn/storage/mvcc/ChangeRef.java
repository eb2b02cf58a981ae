package io.cairn.storage.mvcc;

import java.util.Arrays;

/**
 * The value stored under a {@link RevisionKey}: the user key changed at that revision and whether
 * the change was a delete (tombstone). Encoded as one flag byte followed by the user key.
 *
 * @param userKey the changed key (never empty)
 * @param tombstone whether the change deleted the key
 */
public record ChangeRef(byte[] userKey, boolean tombstone) {
  private static final byte PUT = 0;
  private static final byte DELETE = 1;

  public byte[] encode() {
    byte[] out = new byte[userKey.length + 1];
    out[0] = tombstone ? DELETE : PUT;
    System.arraycopy(userKey, 0, out, 1, userKey.length);
    return out;
  }

  public static ChangeRef decode(byte[] value) {
    if (value.length < 2 || (value[0] != PUT && value[0] != DELETE)) {
      throw new IllegalStateException("malformed revisions value: " + Arrays.toString(value));
    }
    return new ChangeRef(Arrays.copyOfRange(value, 1, value.length), value[0] == DELETE);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ChangeRef other && tombstone == other.tombstone
        && Arrays.equals(userKey, other.userKey);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(userKey) + Boolean.hashCode(tombstone);
  }
}
