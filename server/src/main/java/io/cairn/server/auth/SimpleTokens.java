package io.cairn.server.auth;

import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * etcd's simple tokens: {@code <16 random letters>.<raft index of the Authenticate>}, kept in
 * memory. The prefix travels in the log, so every member registers the same token when the entry
 * applies and any member accepts it; a member that restarts forgets its tokens (clients then
 * authenticate again). A token lives {@code --auth-token-ttl} from its last use.
 */
final class SimpleTokens implements TokenProvider {
  private static final String LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  private static final int PREFIX_LENGTH = 16;
  /** Expired tokens are swept at most this often (etcd: once a second). */
  private static final long SWEEP_NANOS = 1_000_000_000L;

  private record Entry(String user, long expiresAtNanos) {}

  private final SecureRandom random = new SecureRandom();
  private final long ttlNanos;
  private final LongSupplier nanoClock;
  /** Guarded by this; null while auth is disabled (etcd: no TTL keeper, assign is a no-op). */
  private Map<String, Entry> tokens;
  private long lastSweepNanos;

  SimpleTokens(long ttlNanos, LongSupplier nanoClock) {
    this.ttlNanos = ttlNanos;
    this.nanoClock = nanoClock;
  }

  @Override
  public String newPrefix() {
    StringBuilder b = new StringBuilder(PREFIX_LENGTH);
    for (int i = 0; i < PREFIX_LENGTH; i++) {
      b.append(LETTERS.charAt(random.nextInt(LETTERS.length())));
    }
    return b.toString();
  }

  @Override
  public synchronized String assign(String user, long authRevision, String prefix, long index) {
    String token = prefix + "." + index;
    if (tokens != null) {
      long now = nanoClock.getAsLong();
      sweep(now);
      tokens.put(token, new Entry(user, now + ttlNanos));
    }
    return token;
  }

  @Override
  public synchronized AuthInfo info(String token, long currentRevision) {
    if (!wellFormed(token) || tokens == null) {
      return null;
    }
    Entry e = tokens.get(token);
    long now = nanoClock.getAsLong();
    if (e == null || now - e.expiresAtNanos > 0) {
      tokens.remove(token);
      return null;
    }
    tokens.put(token, new Entry(e.user, now + ttlNanos));
    return new AuthInfo(e.user, currentRevision);
  }

  /** etcd's isValidSimpleToken: two parts around one '.', the second a number. */
  private static boolean wellFormed(String token) {
    int dot = token.indexOf('.');
    if (dot < 0 || token.indexOf('.', dot + 1) >= 0) {
      return false;
    }
    try {
      Long.parseLong(token.substring(dot + 1));
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private void sweep(long now) {
    if (now - lastSweepNanos < SWEEP_NANOS) {
      return;
    }
    lastSweepNanos = now;
    Iterator<Entry> it = tokens.values().iterator();
    while (it.hasNext()) {
      if (now - it.next().expiresAtNanos > 0) {
        it.remove();
      }
    }
  }

  @Override
  public synchronized void invalidateUser(String user) {
    if (tokens != null) {
      tokens.values().removeIf(e -> e.user.equals(user));
    }
  }

  @Override
  public synchronized void enable() {
    if (tokens == null) {
      tokens = new HashMap<>();
    }
  }

  @Override
  public synchronized void disable() {
    tokens = null;
  }
}
