package io.cairn.server.cluster;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.List;

/**
 * Member and cluster ids derived exactly as etcd derives them, so a Cairn cluster bootstrapped
 * with the same {@code --initial-cluster} and token has the ids etcd would give it (and tools that
 * print them show familiar values, e.g. {@code 8e9e05c52164694d} for etcd's default member).
 *
 * <ul>
 *   <li>member id: the first 8 bytes (big endian) of SHA-1 over the member's peer URLs sorted as
 *       strings and concatenated, followed by the cluster token;
 *   <li>cluster id: the first 8 bytes of SHA-1 over the member ids sorted as unsigned numbers, each
 *       as 8 big-endian bytes.
 * </ul>
 */
public final class MemberIds {
  private MemberIds() {}

  public static long memberId(Collection<URI> peerUrls, String clusterToken) {
    StringBuilder joined = new StringBuilder();
    peerUrls.stream().map(URI::toString).sorted().forEach(joined::append);
    joined.append(clusterToken);
    return first8(sha1(joined.toString().getBytes(StandardCharsets.UTF_8)));
  }

  public static long clusterId(Collection<Long> memberIds) {
    List<Long> sorted = memberIds.stream().sorted(Long::compareUnsigned).toList();
    ByteBuffer buf = ByteBuffer.allocate(8 * sorted.size());
    sorted.forEach(buf::putLong);
    return first8(sha1(buf.array()));
  }

  /** etcd prints ids as lower-case hex without leading zeros. */
  public static String toHex(long id) {
    return Long.toHexString(id);
  }

  private static long first8(byte[] hash) {
    return ByteBuffer.wrap(hash, 0, 8).getLong();
  }

  private static byte[] sha1(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-1").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is required by every Java runtime", e);
    }
  }
}
