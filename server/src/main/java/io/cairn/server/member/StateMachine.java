package io.cairn.server.member;

import io.cairn.raft.ConfChange;
import io.cairn.raft.ConfState;
import io.cairn.server.internal.ClusterMembers;
import io.cairn.server.internal.LogRequest;
import java.nio.file.Path;

/**
 * What committed raft entries are applied to: the MVCC store plus the cluster's own state
 * (membership, leases). Called by the applier thread only, in log order.
 *
 * <p>Every method records the entry's index as applied in the same atomic write as its effect, so
 * replaying the log after a crash is idempotent: an entry at or below {@link #applied()} is skipped.
 */
public interface StateMachine extends AutoCloseable {
  /** Where the state machine stands: the last applied index and the membership as of it. */
  AppliedPoint applied();

  /**
   * Applies a client write.
   *
   * @return the etcd response to hand the proposer (PutResponse, TxnResponse, ...)
   * @throws io.cairn.api.EtcdException for a request etcd rejects at apply time (e.g. compacting a
   *     compacted revision); the entry still counts as applied
   */
  Object apply(long index, long term, LogRequest request);

  /** Applies an entry that carries no client request (a new leader's empty entry). */
  void applyEmpty(long index, long term);

  /** Records a membership change raft has applied; {@code after} is the resulting membership. */
  void applyConfChange(long index, long term, ConfChange change, ConfState after);

  /** The cluster's members (names, URLs) as of the applied index. */
  ClusterMembers members();

  /**
   * Shows the initial membership of a cluster this member is bootstrapping until the raft log's
   * bootstrap entries (which carry the same members) apply and persist it.
   */
  void bootstrap(ClusterMembers members);

  /** Whether background work (e.g. physical compaction) is waiting for an idle moment. */
  boolean hasIdleWork();

  /** Does one bounded piece of background work; called by the applier when no entry waits. */
  void doIdleWork();

  /** Makes everything applied so far durable (the raft log may then be truncated below it). */
  void flush();

  /**
   * Writes a consistent copy of the whole content to {@code dir} (which must not exist): the
   * content of a raft snapshot sent to a follower. Any thread; applying continues meanwhile.
   */
  void checkpoint(Path dir);

  /**
   * Replaces the whole content with a copy made by {@link #checkpoint} (of this member or
   * another), durably; {@link #applied()} and {@link #members()} then report the copy's. Repeating
   * it after a crash midway gives the same result.
   */
  void installSnapshot(Path checkpoint);

  @Override
  void close();

  /** An applied index with the membership as of that index. */
  record AppliedPoint(long index, long term, ConfState confState) {}
}
