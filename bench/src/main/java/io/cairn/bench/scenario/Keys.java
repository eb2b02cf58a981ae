package io.cairn.bench.scenario;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;

/** Key helpers shared by the scenarios. */
final class Keys {
  private Keys() {}

  static ByteString of(String key) {
    return ByteString.copyFrom(key, StandardCharsets.UTF_8);
  }

  /**
   * The range_end that selects every key starting with {@code prefix}: the prefix with its last
   * byte below 0xff incremented and the rest dropped, as etcd's clientv3.GetPrefixRangeEnd does.
   * A prefix of only 0xff bytes (or empty) yields "\0", meaning "to the end of the keyspace".
   */
  static ByteString prefixEnd(ByteString prefix) {
    byte[] end = prefix.toByteArray();
    for (int i = end.length - 1; i >= 0; i--) {
      if ((end[i] & 0xff) != 0xff) {
        end[i]++;
        return ByteString.copyFrom(end, 0, i + 1);
      }
    }
    return ByteString.copyFrom(new byte[] {0});
  }

  /** The smallest key strictly after {@code key}: used to continue a paginated range. */
  static ByteString successor(ByteString key) {
    return key.concat(ByteString.copyFrom(new byte[] {0}));
  }
}
