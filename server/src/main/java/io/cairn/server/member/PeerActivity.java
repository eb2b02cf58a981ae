package io.cairn.server.member;

/**
 * Whether this member has heard from a peer recently: what etcd's strict reconfiguration check
 * calls "active" (etcd asks its transport how long a peer's stream has been up).
 */
@FunctionalInterface
public interface PeerActivity {
  /** True when a message from member {@code id} arrived within the health interval. */
  boolean isActive(long id);
}
