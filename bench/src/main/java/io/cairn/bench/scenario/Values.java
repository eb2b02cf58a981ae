package io.cairn.bench.scenario;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Values written by the scenarios. Watch latency is measured from the value itself: the first 8
 * bytes hold the writer's {@link System#nanoTime()} at send time (same process, same clock), the
 * rest is filler up to the requested size.
 */
final class Values {
  /** Smallest value that can carry a send timestamp. */
  static final int TIMESTAMP_BYTES = Long.BYTES;

  private Values() {}

  /** A value of {@code size} bytes of filler (no timestamp). */
  static ByteString filler(int size) {
    byte[] bytes = new byte[size];
    Arrays.fill(bytes, (byte) 'v');
    return ByteString.copyFrom(bytes);
  }

  /** A value of {@code size} bytes (at least 8) starting with the current nanoTime. */
  static ByteString timestamped(int size) {
    if (size < TIMESTAMP_BYTES) {
      throw new IllegalArgumentException(
          "value size " + size + " cannot carry an 8-byte send timestamp");
    }
    byte[] bytes = new byte[size];
    Arrays.fill(bytes, (byte) 'v');
    ByteBuffer.wrap(bytes).putLong(System.nanoTime());
    return ByteString.copyFrom(bytes);
  }

  /** The send time carried by a timestamped value, or -1 when it is too short to carry one. */
  static long sentNanos(ByteString value) {
    if (value.size() < TIMESTAMP_BYTES) {
      return -1;
    }
    return value.substring(0, TIMESTAMP_BYTES).asReadOnlyByteBuffer().getLong();
  }
}
