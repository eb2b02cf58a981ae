package io.cairn.server.member;

import io.cairn.api.EtcdError;
import io.cairn.raft.ConfChange;
import io.cairn.raft.ConfChangeType;
import io.cairn.raft.ConfState;
import io.cairn.raft.Message;
import io.cairn.raft.RaftConfig;
import io.cairn.raft.RaftNode;
import io.cairn.raft.Status;
import io.cairn.server.internal.ConfChangeContext;
import io.cairn.server.internal.LogRequest;
import io.cairn.server.testing.PlantedBug;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One raft member at run time: the raft loop thread, the apply thread, and the entry points the
 * client-facing services use. This is the seam between threads and futures (the server edge) and
 * the single-threaded core: everything here hands work to the loop through its queue.
 *
 * <p>Created by {@link MemberBootstrap}, which decides whether this is a new member or a restart.
 */
public final class Member implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Member.class);

  private final long memberId;
  private final long clusterId;
  private final int maxRequestBytes;
  private final Duration requestTimeout;
  private final RaftLoop loop;
  private final Applier applier;
  private final PendingRequests pending;
  private final LinearizableReads reads;
  private final RaftStatusView status;
  private final RequestIds requestIds;
  private final RaftLogStore log;
  private final PeerTransport transport;
  private final StateMachine stateMachine;
  private final SnapshotInstaller snapshots;
  private final Thread loopThread;
  private final Thread applyThread;
  private volatile boolean stopped;

  Member(long memberId, long clusterId, MemberOptions options, RaftLogStore log, StateMachine stateMachine,
      PeerTransport transport, ConfState confState, SnapshotDirectory snapshotDirectory, FatalErrorHandler fatal,
      StartTimeline timeline) {
    this.memberId = memberId;
    this.clusterId = clusterId;
    this.maxRequestBytes = options.maxRequestBytes();
    this.requestTimeout = options.requestTimeout();
    this.log = log;
    this.transport = transport;
    this.stateMachine = stateMachine;
    this.snapshots = new SnapshotInstaller(snapshotDirectory);
    this.pending = new PendingRequests();
    this.requestIds = new RequestIds(memberId, System.currentTimeMillis());
    this.status = new RaftStatusView(confState);
    long applied = stateMachine.applied().index();

    RaftNode raft = RaftNode.create(RaftConfig.builder(memberId)
        .electionTick(options.electionTicks())
        .heartbeatTick(1)
        .preVote(options.preVote())
        .checkQuorum(true)
        .applied(applied)
        .randomSeed(System.nanoTime() ^ memberId)
        .build(), log.storage());
    RaftLoop[] loopRef = new RaftLoop[1];
    this.reads = new LinearizableReads(applied, () -> loopRef[0].enqueue(new RaftLoop.Wake()));
    this.applier = new Applier(memberId, stateMachine, pending, reads, fatal);
    this.loop = new RaftLoop(memberId, raft, log, transport, applier, reads, pending, status,
        new LogCompaction(stateMachine, options.snapshotCount()), snapshots, confState, fatal,
        options.tickInterval().toNanos(), timeline);
    loopRef[0] = loop;
    if (confState.voters().equals(Set.of(memberId))) {
      raft.campaign(); // the only voter: no one to wait for
    }
    this.loopThread = new Thread(loop, "cairn-raft-" + Long.toHexString(memberId));
    this.applyThread = new Thread(applier, "cairn-apply-" + Long.toHexString(memberId));
    loopThread.setDaemon(true);
    applyThread.setDaemon(true);
  }

  void start() {
    applyThread.start();
    loopThread.start();
  }

  public long memberId() {
    return memberId;
  }

  public long clusterId() {
    return clusterId;
  }

  /**
   * Proposes a client write and completes with its response once it applied on this member.
   * Fails with {@link EtcdError#REQUEST_TOO_LARGE} before anything is proposed if the entry would
   * exceed the request limit, and with {@link EtcdError#TIMEOUT} (outcome unknown: the write may
   * still apply) if it did not apply within the request timeout. Cancelling the returned future
   * (the client went away) forgets the request: if raft has not taken it yet, it never will.
   */
  public CompletableFuture<Object> propose(LogRequest.Builder request) {
    if (stopped) {
      return CompletableFuture.failedFuture(EtcdError.STOPPED.exception());
    }
    long id = requestIds.next();
    byte[] data = request.setProposerId(memberId).setRequestId(id).build().toByteArray();
    if (data.length > maxRequestBytes) {
      return CompletableFuture.failedFuture(EtcdError.REQUEST_TOO_LARGE.exception());
    }
    CompletableFuture<Object> result = pending.register(id);
    loop.enqueue(new RaftLoop.Propose(data, id, System.nanoTime() + requestTimeout.toNanos()));
    CompletableFuture<Object> answer = withTimeout(result, () -> pending.forget(id));
    answer.whenComplete((value, error) -> {
      if (answer.isCancelled()) {
        pending.forget(id);
      }
    });
    return answer;
  }

  /**
   * Proposes a membership change carrying {@code context} (the member it adds or changes); completes
   * with the {@link io.cairn.server.internal.ClusterMembers} the change produced once it applied on
   * this member, or with {@link EtcdError#TIMEOUT} (outcome unknown) after the request timeout.
   */
  public CompletableFuture<Object> proposeConfChange(ConfChangeType type, long nodeId,
      ConfChangeContext.Builder context) {
    if (stopped) {
      return CompletableFuture.failedFuture(EtcdError.STOPPED.exception());
    }
    long id = requestIds.next();
    ConfChange change = new ConfChange(type, nodeId,
        context.setProposerId(memberId).setRequestId(id).build().toByteArray());
    CompletableFuture<Object> result = pending.register(id);
    loop.enqueue(new RaftLoop.ProposeConfChange(change, id, System.nanoTime() + requestTimeout.toNanos()));
    return withTimeout(result, () -> pending.forget(id));
  }

  /**
   * Raft's status as the loop sees it now; on the leader it includes each follower's replication
   * progress (what learner promotion checks).
   */
  public CompletableFuture<Status> raftStatus() {
    CompletableFuture<Status> result = new CompletableFuture<>();
    loop.enqueue(new RaftLoop.QueryStatus(result));
    return withTimeout(result, () -> { });
  }

  /**
   * Completes when a read started now may be served from this member's store and still be
   * linearizable (raft ReadIndex, batched with other reads).
   */
  public CompletableFuture<Void> linearizableReadBarrier() {
    if (stopped) {
      return CompletableFuture.failedFuture(EtcdError.STOPPED.exception());
    }
    if (PlantedBug.FOLLOWER_LOCAL_READS.active() && status.current().leaderId() != memberId) {
      return CompletableFuture.completedFuture(null); // test-only planted bug: no ReadIndex
    }
    return withTimeout(reads.await(), () -> { });
  }

  /** A raft message from a peer. */
  public void receive(Message message) {
    loop.enqueue(new RaftLoop.Receive(message));
  }

  /** The peer transport could not deliver to {@code peer}. */
  public void reportUnreachable(long peer) {
    loop.enqueue(new RaftLoop.ReportUnreachable(peer));
  }

  /** How sending a snapshot to follower {@code peer} ended (the peer transport reports it). */
  public void reportSnapshot(long peer, boolean success) {
    loop.enqueue(new RaftLoop.ReportSnapshot(peer, success));
  }

  /**
   * Writes a consistent copy of this member's state machine to {@code dir} (which must not exist):
   * the content of a raft snapshot the peer transport sends to a follower. Any thread.
   */
  public void checkpoint(Path dir) {
    stateMachine.checkpoint(dir);
  }

  /** Snapshots received from a leader and installed since this member started. */
  public long installedSnapshots() {
    return snapshots.installed();
  }

  public void transferLeadership(long transferee) {
    loop.enqueue(new RaftLoop.TransferLeadership(transferee));
  }

  public MemberStatus status() {
    RaftStatusView.Snapshot s = status.current();
    return new MemberStatus(memberId, clusterId, s.leaderId(), s.term(), s.commitIndex(),
        applier.appliedIndex(), s.lastIndex(), s.confState());
  }

  private <T> CompletableFuture<T> withTimeout(CompletableFuture<T> future, Runnable onTimeout) {
    return future.orTimeout(requestTimeout.toMillis(), TimeUnit.MILLISECONDS).handle((value, error) -> {
      if (error == null) {
        return value;
      }
      Throwable cause = error instanceof CompletionException ? error.getCause() : error;
      if (cause instanceof TimeoutException) {
        onTimeout.run();
        throw EtcdError.TIMEOUT.exception();
      }
      throw cause instanceof RuntimeException re ? re : new CompletionException(cause);
    });
  }

  @Override
  public void close() {
    if (stopped) {
      return;
    }
    stopped = true;
    loop.enqueue(new RaftLoop.Stop());
    join(loopThread);
    applier.stop();
    join(applyThread);
    pending.failAll(EtcdError.STOPPED);
    reads.failAll(EtcdError.STOPPED);
    transport.close();
    log.close();
    LOG.info("member {} stopped", Long.toHexString(memberId));
  }

  private static void join(Thread t) {
    if (t == Thread.currentThread()) {
      return;
    }
    try {
      t.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
