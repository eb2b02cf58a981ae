package io.cairn.server.reliability;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Turns well-formed request bytes into hostile ones, the way a fuzzer does: bit flips, random
 * bytes, cuts, splices, repeated slices, and fields of random tags and wire types appended (unknown
 * fields, wrong wire types, lengths past the end, over-long varints).
 */
final class RequestMutator {
  private final SplittableRandom random;

  RequestMutator(SplittableRandom random) {
    this.random = random;
  }

  /** {@code bytes} with one to four mutations. */
  byte[] mutate(byte[] bytes) {
    byte[] out = bytes;
    int mutations = 1 + random.nextInt(4);
    for (int i = 0; i < mutations; i++) {
      out = once(out);
    }
    return out;
  }

  private byte[] once(byte[] in) {
    int kind = random.nextInt(7);
    if (in.length == 0 && kind < 5) {
      kind = 5;
    }
    return switch (kind) {
      case 0 -> { // flip one bit
        byte[] out = in.clone();
        int at = random.nextInt(out.length);
        out[at] ^= (byte) (1 << random.nextInt(8));
        yield out;
      }
      case 1 -> { // overwrite one byte
        byte[] out = in.clone();
        out[random.nextInt(out.length)] = (byte) random.nextInt(256);
        yield out;
      }
      case 2 -> Arrays.copyOf(in, random.nextInt(in.length)); // cut the tail
      case 3 -> { // repeat a slice
        int from = random.nextInt(in.length);
        int to = from + random.nextInt(in.length - from) + 1;
        yield concat(Arrays.copyOf(in, to), Arrays.copyOfRange(in, from, in.length));
      }
      case 4 -> { // insert random bytes
        int at = random.nextInt(in.length + 1);
        byte[] noise = new byte[1 + random.nextInt(8)];
        random.nextBytes(noise);
        yield concat(concat(Arrays.copyOf(in, at), noise), Arrays.copyOfRange(in, at, in.length));
      }
      case 5 -> concat(in, randomField()); // append a field of any tag and wire type
      default -> concat(in, overlongVarintField());
    };
  }

  private byte[] randomField() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int field = 1 + random.nextInt(20);
    int wireType = random.nextInt(6);
    writeVarint(out, ((long) field << 3) | wireType);
    switch (wireType) {
      case 0 -> writeVarint(out, random.nextLong());
      case 1 -> out.write(new byte[8], 0, 8);
      case 2 -> {
        byte[] payload = new byte[random.nextInt(12)];
        random.nextBytes(payload);
        // Sometimes a length that runs past the end.
        writeVarint(out, random.nextInt(4) == 0 ? payload.length + 1 + random.nextInt(1000) : payload.length);
        out.write(payload, 0, payload.length);
      }
      case 5 -> out.write(new byte[4], 0, 4);
      default -> { } // group markers: no payload
    }
    return out.toByteArray();
  }

  private byte[] overlongVarintField() {
    byte[] out = new byte[12];
    out[0] = (byte) ((1 + random.nextInt(15)) << 3);
    Arrays.fill(out, 1, out.length, (byte) 0xff);
    return out;
  }

  private static void writeVarint(ByteArrayOutputStream out, long value) {
    while ((value & ~0x7FL) != 0) {
      out.write((int) ((value & 0x7F) | 0x80));
      value >>>= 7;
    }
    out.write((int) value);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
