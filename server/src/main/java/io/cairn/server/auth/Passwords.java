package io.cairn.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * bcrypt for auth passwords, as etcd's Go x/crypto/bcrypt: {@code $2a$} hashes at
 * {@code --bcrypt-cost}, passwords cut at bcrypt's 72 bytes. Hashing and checking run on a small
 * pool of their own: bcrypt is slow on purpose, so a flood of Authenticate calls queues there and
 * leaves the other request threads alone.
 */
final class Passwords implements AutoCloseable {
  /** bcrypt uses at most this many bytes of a password. */
  private static final int MAX_BYTES = 72;

  private final int cost;
  private final SecureRandom random = new SecureRandom();
  private final ExecutorService pool;

  Passwords(int cost, int threads) {
    this.cost = cost;
    AtomicInteger n = new AtomicInteger();
    this.pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "cairn-bcrypt-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /** The bcrypt hash of {@code password}, computed on the pool. */
  CompletableFuture<String> hash(String password) {
    return onPool(() -> {
      byte[] salt = new byte[16];
      random.nextBytes(salt);
      return OpenBSDBCrypt.generate("2a", bytes(password), salt, cost);
    });
  }

  /** Whether {@code password} matches {@code hash} (false for anything not a bcrypt hash). */
  CompletableFuture<Boolean> matches(String hash, String password) {
    return onPool(() -> {
      try {
        return OpenBSDBCrypt.checkPassword(hash, bytes(password));
      } catch (IllegalArgumentException | org.bouncycastle.crypto.DataLengthException e) {
        return false;
      }
    });
  }

  private <T> CompletableFuture<T> onPool(Supplier<T> work) {
    return CompletableFuture.supplyAsync(work, pool);
  }

  private static byte[] bytes(String password) {
    byte[] b = password.getBytes(StandardCharsets.UTF_8);
    return b.length > MAX_BYTES ? Arrays.copyOf(b, MAX_BYTES) : b;
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
