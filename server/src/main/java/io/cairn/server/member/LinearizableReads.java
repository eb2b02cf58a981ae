package io.cairn.server.member;

import io.cairn.api.EtcdError;
import io.cairn.raft.ReadState;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * The barrier a linearizable read passes before it reads the local store: raft's ReadIndex.
 *
 * <p>Reads are batched as etcd batches them: every read that arrives while a ReadIndex round is in
 * flight joins the next round, so one heartbeat round confirms leadership for many reads. A round
 * ends with a {@link ReadState}: the commit index the leader had when the round started. The
 * round's reads are released once this member has applied up to that index; they then observe
 * every write acknowledged before they began.
 *
 * <p>Threads: client threads call {@link #await()}; the raft loop thread calls
 * {@link #nextRound}, {@link #onReadState} and {@link #onLeaderChanged}; the applier calls
 * {@link #onApplied}. One lock guards the queues; futures are completed outside it.
 */
final class LinearizableReads {
  private final Object lock = new Object();
  private final Runnable wakeLoop;

  /** Reads waiting for the next round. Guarded by lock. */
  private List<CompletableFuture<Void>> next = new ArrayList<>();
  /** The round raft is working on, or null. Guarded by lock. */
  private List<CompletableFuture<Void>> inFlight;
  /** Id of the round in flight; its 8 bytes are the ReadIndex context. Guarded by lock. */
  private long round;
  /** When the round in flight was (re)issued, for retries. Guarded by lock. */
  private long roundIssuedNanos;
  /** Confirmed rounds waiting for the applier, by read index. Guarded by lock. */
  private final NavigableMap<Long, List<CompletableFuture<Void>>> waitingForApply = new TreeMap<>();
  /** Highest index the applier has applied. Written by the applier only. */
  private volatile long applied;

  LinearizableReads(long appliedAtStart, Runnable wakeLoop) {
    this.applied = appliedAtStart;
    this.wakeLoop = wakeLoop;
  }

  /** Completes once a read started now may be served from the local store. */
  CompletableFuture<Void> await() {
    CompletableFuture<Void> ready = new CompletableFuture<>();
    boolean first;
    synchronized (lock) {
      next.add(ready);
      first = next.size() == 1;
    }
    if (first) {
      wakeLoop.run();
    }
    return ready;
  }

  /**
   * Loop thread: the context of a ReadIndex request to issue now, or null. A round that got no
   * answer within {@code retryNanos} (a lost message, a leader that went away) is issued again
   * under the same context.
   */
  byte[] nextRound(long nowNanos, long retryNanos) {
    synchronized (lock) {
      if (inFlight != null) {
        if (nowNanos - roundIssuedNanos < retryNanos) {
          return null;
        }
      } else {
        if (next.isEmpty()) {
          return null;
        }
        inFlight = next;
        next = new ArrayList<>();
        round++;
      }
      roundIssuedNanos = nowNanos;
      return ByteBuffer.allocate(Long.BYTES).putLong(round).array();
    }
  }

  /** Loop thread: raft confirmed a round. */
  void onReadState(ReadState state) {
    if (state.context().length != Long.BYTES) {
      return;
    }
    long id = ByteBuffer.wrap(state.context()).getLong();
    List<CompletableFuture<Void>> released = null;
    synchronized (lock) {
      if (inFlight == null || id != round) {
        return; // a duplicate answer to a round already confirmed
      }
      if (state.index() <= applied) {
        released = inFlight;
      } else {
        waitingForApply.computeIfAbsent(state.index(), i -> new ArrayList<>()).addAll(inFlight);
      }
      inFlight = null;
    }
    completeAll(released);
  }

  /**
   * Loop thread: the leader changed. The round in flight may never be answered; its reads fail
   * with etcd's "leader changed" so that clients retry, as etcd does.
   */
  void onLeaderChanged() {
    List<CompletableFuture<Void>> failed;
    synchronized (lock) {
      failed = inFlight;
      inFlight = null;
    }
    if (failed != null) {
      failed.forEach(f -> f.completeExceptionally(EtcdError.LEADER_CHANGED.exception()));
    }
  }

  /** Applier thread: everything up to {@code index} is applied. */
  void onApplied(long index) {
    applied = index;
    List<CompletableFuture<Void>> released = new ArrayList<>();
    synchronized (lock) {
      NavigableMap<Long, List<CompletableFuture<Void>>> done = waitingForApply.headMap(index, true);
      for (Map.Entry<Long, List<CompletableFuture<Void>>> e : done.entrySet()) {
        released.addAll(e.getValue());
      }
      done.clear();
    }
    completeAll(released);
  }

  /** Fails every read still waiting (the member is stopping). */
  void failAll(EtcdError error) {
    List<CompletableFuture<Void>> failed = new ArrayList<>();
    synchronized (lock) {
      failed.addAll(next);
      next.clear();
      if (inFlight != null) {
        failed.addAll(inFlight);
        inFlight = null;
      }
      waitingForApply.values().forEach(failed::addAll);
      waitingForApply.clear();
    }
    failed.forEach(f -> f.completeExceptionally(error.exception()));
  }

  private static void completeAll(List<CompletableFuture<Void>> futures) {
    if (futures != null) {
      futures.forEach(f -> f.complete(null));
    }
  }
}
