package io.cairn.server.member;

import io.cairn.api.EtcdError;
import io.cairn.raft.ConfChange;
import io.cairn.raft.ConfState;
import io.cairn.raft.Entry;
import io.cairn.raft.EntryType;
import io.cairn.raft.Message;
import io.cairn.raft.ProposalDroppedException;
import io.cairn.raft.RaftNode;
import io.cairn.raft.ReadState;
import io.cairn.raft.Ready;
import io.cairn.raft.SoftState;
import io.cairn.raft.Status;
import io.cairn.server.testing.PlantedBug;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that drives raft for this member: it owns the {@link RaftNode} and the in-memory
 * log, and is the only code that touches them.
 *
 * <p>Each turn it takes everything queued (client proposals, peer messages, read requests), feeds
 * it to raft, ticks raft on the heartbeat clock, and then works off every {@link Ready}:
 * <ol>
 *   <li>hand committed entries that are already durable here to the {@link Applier}, which applies
 *       them on its own thread while this turn goes on;
 *   <li>send {@code messages} at once: the leader's appends go out in parallel with its own fsync
 *       (Raft thesis §10.2.1);
 *   <li>persist hard state and entries with one fsync for the whole batch (group commit: every
 *       proposal that arrived since the last turn shares it);
 *   <li>send {@code messagesAfterPersist}: votes and a follower's acks promise durable state;
 *   <li>hand the remaining committed entries (those that arrived in this batch) to the applier;
 *   <li>pass read states to the {@link LinearizableReads} barrier, and advance.
 * </ol>
 */
final class RaftLoop implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(RaftLoop.class);
  private static final int MAX_COMMANDS_PER_TURN = 4096;

  /** Work for the loop, queued from any thread. */
  sealed interface Command {}

  /** A client's proposal: answered under {@code requestId}, given up at {@code deadlineNanos}. */
  sealed interface Proposal extends Command {
    long requestId();

    long deadlineNanos();
  }

  record Propose(byte[] data, long requestId, long deadlineNanos) implements Proposal {}

  record ProposeConfChange(ConfChange change, long requestId, long deadlineNanos) implements Proposal {}

  record Receive(Message message) implements Command {}

  record TransferLeadership(long transferee) implements Command {}

  /** The transport could not deliver to a peer: raft should probe it rather than stream to it. */
  record ReportUnreachable(long peer) implements Command {}

  /** How sending a snapshot to a follower ended (raft resumes replicating to it, or retries). */
  record ReportSnapshot(long peer, boolean success) implements Command {}

  /** Hands raft's status (with the leader's view of each follower's progress) to {@code result}. */
  record QueryStatus(CompletableFuture<Status> result) implements Command {}

  /** Wakes the loop (e.g. a read is waiting for a ReadIndex round). */
  record Wake() implements Command {}

  record Stop() implements Command {}

  private final long memberId;
  private final RaftNode raft;
  private final RaftLogStore log;
  private final PeerTransport transport;
  private final Applier applier;
  private final LinearizableReads reads;
  private final PendingRequests pending;
  private final RaftStatusView status;
  private final LogCompaction compaction;
  private final SnapshotInstaller snapshots;
  private final FatalErrorHandler fatal;
  private final long tickNanos;
  private final long readRetryNanos;
  private final StartTimeline timeline;

  private final BlockingQueue<Command> inbox = new LinkedBlockingQueue<>();
  /** Proposals raft dropped for want of a leader; retried until their deadline. */
  private final Deque<Proposal> waitingForLeader = new ArrayDeque<>();
  /** Membership as raft has applied it (ahead of the state machine, which applies later). */
  private ConfState confState;
  private long leaderId;

  RaftLoop(long memberId, RaftNode raft, RaftLogStore log, PeerTransport transport, Applier applier,
      LinearizableReads reads, PendingRequests pending, RaftStatusView status, LogCompaction compaction,
      SnapshotInstaller snapshots, ConfState confState, FatalErrorHandler fatal, long tickNanos,
      StartTimeline timeline) {
    this.timeline = timeline;
    this.memberId = memberId;
    this.raft = raft;
    this.log = log;
    this.transport = transport;
    this.applier = applier;
    this.reads = reads;
    this.pending = pending;
    this.status = status;
    this.compaction = compaction;
    this.snapshots = snapshots;
    this.confState = confState;
    this.fatal = fatal;
    this.tickNanos = tickNanos;
    this.readRetryNanos = 5 * tickNanos;
  }

  void enqueue(Command command) {
    inbox.add(command);
  }

  @Override
  public void run() {
    List<Command> batch = new ArrayList<>();
    long nextTick = System.nanoTime() + tickNanos;
    try {
      while (true) {
        long wait = nextTick - System.nanoTime();
        if (wait > 0) {
          Command first = inbox.poll(wait, TimeUnit.NANOSECONDS);
          if (first != null) {
            batch.add(first);
          }
        }
        inbox.drainTo(batch, MAX_COMMANDS_PER_TURN);
        for (Command command : batch) {
          if (command instanceof Stop) {
            return;
          }
          handle(command);
        }
        batch.clear();

        long now = System.nanoTime();
        if (now >= nextTick) {
          raft.tick();
          // After a long pause (GC, SIGSTOP) tick once, not once per missed interval: a burst
          // of ticks would make this member start an election the moment it wakes.
          nextTick = Math.max(nextTick + tickNanos, now + tickNanos / 2);
          expireWaitingProposals(now);
        }
        byte[] readContext = reads.nextRound(now, readRetryNanos);
        if (readContext != null) {
          try {
            raft.readIndex(readContext);
          } catch (ProposalDroppedException noLeader) {
            // No leader to confirm with: the round stays in flight and is issued again later.
          }
        }
        while (raft.hasReady()) {
          process(raft.ready());
        }
        compaction.maybeCompact(log);
        timeline.applied(applier.appliedIndex());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | Error e) {
      fatal.fail("raft loop failed", e);
    }
  }

  private void handle(Command command) {
    if (command instanceof Propose p) {
      propose(p);
    } else if (command instanceof ProposeConfChange c) {
      proposeConfChange(c);
    } else if (command instanceof Receive r) {
      raft.step(r.message());
    } else if (command instanceof TransferLeadership t) {
      raft.transferLeader(t.transferee());
    } else if (command instanceof ReportUnreachable u) {
      raft.reportUnreachable(u.peer());
    } else if (command instanceof ReportSnapshot s) {
      raft.reportSnapshot(s.peer(), s.success());
    } else if (command instanceof QueryStatus q) {
      q.result().complete(raft.status());
    } else if (!(command instanceof Wake)) {
      throw new IllegalStateException("unexpected loop command " + command);
    }
  }

  private void propose(Propose p) {
    try {
      raft.propose(p.data());
    } catch (ProposalDroppedException e) {
      waitingForLeader.add(p);
    }
  }

  private void proposeConfChange(ProposeConfChange c) {
    try {
      raft.proposeConfChange(c.change());
    } catch (ProposalDroppedException e) {
      waitingForLeader.add(c);
    } catch (IllegalArgumentException e) {
      // A change raft refuses outright (it would remove the last voter): the proposer's answer.
      pending.fail(c.requestId(), e);
    }
  }

  /** Proposals that waited for a leader past their deadline time out, as they would in etcd. */
  private void expireWaitingProposals(long now) {
    int n = waitingForLeader.size();
    for (int i = 0; i < n; i++) {
      Proposal c = waitingForLeader.poll();
      if (now - c.deadlineNanos() >= 0) {
        pending.fail(c.requestId(), EtcdError.TIMEOUT.exception());
      } else if (!pending.isWaiting(c.requestId())) {
        // The client gave up (deadline, cancel): never let an abandoned write enter the log later.
        continue;
      } else if (leaderId != 0) {
        handle(c);
      } else {
        waitingForLeader.add(c);
      }
    }
  }

  private void process(Ready rd) {
    if (rd.softState() != null) {
      onSoftState(rd.softState());
    }
    List<Entry> committed = rd.committedEntries();
    // Committed entries this member has already persisted go to the applier first, so that the
    // apply (and the client's answer) overlaps this batch's sends and fsync. Entries that are
    // committed but arrive in this very batch wait for its fsync: nothing is applied before it
    // is durable here.
    boolean committedAreDurable = !committed.isEmpty()
        && committed.get(committed.size() - 1).index() <= log.storage().lastIndex();
    if (committedAreDurable) {
      apply(committed);
    }
    transport.send(rd.messages());
    if (rd.snapshot() != null && !rd.snapshot().isEmpty()) {
      snapshots.install(rd.snapshot(), log, applier); // waits until the state machine holds it
      confState = rd.snapshot().metadata().confState();
    }
    log.persist(rd.hardState(), rd.entries(), rd.mustSync() && !PlantedBug.skipFollowerSync(leaderId != memberId));
    transport.send(rd.messagesAfterPersist());
    if (!committed.isEmpty() && !committedAreDurable) {
      apply(committed);
    }
    for (ReadState rs : rd.readStates()) {
      reads.onReadState(rs);
    }
    raft.advance(rd);
    publishStatus();
  }

  private void publishStatus() {
    status.publish(new RaftStatusView.Snapshot(leaderId, raft.term(), log.storage().hardState().commit(),
        log.storage().lastIndex(), confState));
  }

  /** Hands committed entries to the applier, moving raft's membership on at each conf change. */
  private void apply(List<Entry> committed) {
    List<ConfState> confStates = new ArrayList<>();
    for (Entry e : committed) {
      if (e.type() == EntryType.CONF_CHANGE) {
        confState = raft.applyConfChange(ConfChange.decode(e.data()));
        log.setConfState(confState);
        confStates.add(confState);
      }
    }
    if (!confStates.isEmpty()) {
      // Before the applier can answer the client that asked for the change: whoever reads the
      // status view after that answer sees the new membership.
      publishStatus();
    }
    applier.submit(new Applier.Batch(committed, confStates));
  }

  private void onSoftState(SoftState soft) {
    long previous = leaderId;
    leaderId = soft.leaderId();
    if (previous != leaderId) {
      if (leaderId != 0) {
        timeline.mark(StartTimeline.Phase.LEADER_CONTACT);
      }
      LOG.info("member {} sees leader {} (was {}), role {}", Long.toHexString(memberId),
          Long.toHexString(leaderId), Long.toHexString(previous), soft.role());
      if (previous != 0) {
        reads.onLeaderChanged();
      }
      if (leaderId != 0) {
        expireWaitingProposals(System.nanoTime());
      }
    }
  }
}
