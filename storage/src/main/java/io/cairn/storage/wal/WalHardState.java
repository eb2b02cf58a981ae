package io.cairn.storage.wal;

/**
 * The raft hard state the log persists: it must be durable before a vote is cast or an append is
 * acknowledged. Recovery returns the last one written.
 *
 * @param term current term
 * @param vote member voted for in {@code term}, 0 for none
 * @param commit highest index known to be committed
 */
public record WalHardState(long term, long vote, long commit) implements WalRecord {
  /** The state of a member that has never voted nor seen a term. */
  public static final WalHardState EMPTY = new WalHardState(0, 0, 0);
}
