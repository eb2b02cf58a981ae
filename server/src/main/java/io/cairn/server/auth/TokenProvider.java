package io.cairn.server.auth;

/**
 * Issues and resolves auth tokens (etcd's TokenProvider): {@link SimpleTokens} or
 * {@link JwtTokens}, as {@code --auth-token} says. Thread-safe: {@link #assign} runs on the apply
 * thread, {@link #info} on request threads.
 */
interface TokenProvider {
  /** A random prefix for a simple token, chosen before proposing (empty for JWT). */
  String newPrefix();

  /**
   * The token for {@code user} after its Authenticate entry applied at {@code index}: called on
   * every member, so a simple token is known to all of them.
   */
  String assign(String user, long authRevision, String prefix, long index);

  /** The identity a token stands for, or null if it is not (or no longer) valid. */
  AuthInfo info(String token, long currentRevision);

  /** Forgets the tokens of a user whose password changed or who was deleted. */
  void invalidateUser(String user);

  /** Auth was enabled (also at start-up with auth enabled). */
  void enable();

  /** Auth was disabled: every token issued so far stops being valid. */
  void disable();
}
