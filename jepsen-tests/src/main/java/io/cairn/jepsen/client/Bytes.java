package io.cairn.jepsen.client;

import com.google.protobuf.ByteString;

/** Keys and values as the etcd API carries them: UTF-8 text in ByteStrings. */
public final class Bytes {

  private Bytes() {}

  public static ByteString of(String text) {
    return ByteString.copyFromUtf8(text);
  }

  public static ByteString of(long number) {
    return ByteString.copyFromUtf8(Long.toString(number));
  }

  /** The range_end that makes a range cover every key starting with {@code prefix}. */
  public static ByteString prefixEnd(String prefix) {
    byte[] end = prefix.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    end[end.length - 1]++;
    return ByteString.copyFrom(end);
  }
}
