package io.cairn.bench.scenario;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Generates the keys a write scenario touches: {@code prefix} followed by a decimal number
 * zero-padded to {@code digits} characters. Either sequential (0, 1, 2... wrapping after the
 * largest number that fits) or uniformly random over {@code [0, size)}.
 *
 * <p>Each logical client draws from its own seeded random, so a run with the same seed and one
 * client touches the same keys; a client's draws need no locking because a client has one
 * operation outstanding at a time.
 */
public final class KeySpace {
  private final String prefix;
  private final int digits;
  private final long size;
  private final boolean sequential;
  private final SplittableRandom[] perClient;
  /** Next sequential number to hand out, across all clients. */
  private final AtomicLong nextSequential = new AtomicLong();
  private final long wrap;

  public KeySpace(String prefix, int digits, long size, boolean sequential, int clients, long seed) {
    if (digits < 1 || digits > 18) {
      throw new IllegalArgumentException("key digits must be within 1..18: " + digits);
    }
    long capacity = pow10(digits);
    if (size < 1 || size > capacity) {
      throw new IllegalArgumentException("key space size " + size + " does not fit in " + digits
          + " digits (at most " + capacity + " distinct keys)");
    }
    this.prefix = prefix;
    this.digits = digits;
    this.size = size;
    this.sequential = sequential;
    this.wrap = capacity;
    this.perClient = new SplittableRandom[clients];
    SplittableRandom root = new SplittableRandom(seed);
    for (int i = 0; i < clients; i++) {
      perClient[i] = root.split();
    }
  }

  private static long pow10(int digits) {
    long p = 1;
    for (int i = 0; i < digits; i++) {
      p *= 10;
    }
    return p;
  }

  /** The next key for {@code client}. */
  public ByteString next(int client) {
    long n = sequential ? nextSequential.getAndIncrement() % wrap : perClient[client].nextLong(size);
    return key(n);
  }

  /** The key with number {@code n}. */
  public ByteString key(long n) {
    String digitsText = String.format("%0" + digits + "d", n);
    return ByteString.copyFrom(prefix + digitsText, StandardCharsets.UTF_8);
  }

  /** The per-client random, for scenarios that draw other choices than keys. */
  public SplittableRandom random(int client) {
    return perClient[client];
  }

  public long size() {
    return size;
  }

  public String prefix() {
    return prefix;
  }
}
