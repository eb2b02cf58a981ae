package io.cairn.server.member;

import com.google.protobuf.InvalidProtocolBufferException;
import io.cairn.api.EtcdException;
import io.cairn.raft.ConfChange;
import io.cairn.raft.ConfState;
import io.cairn.raft.Entry;
import io.cairn.raft.EntryType;
import io.cairn.server.internal.ConfChangeContext;
import io.cairn.server.internal.LogRequest;
import io.cairn.server.logging.LogRateLimit;
import io.cairn.storage.kv.RequestLimits;
import io.cairn.storage.mvcc.StorageException;
import io.grpc.Status;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The apply thread: takes committed entries from the raft loop, in log order, and applies them to
 * the {@link StateMachine}. Running apart from the loop lets the loop persist the next batch while
 * this one applies (apply never blocks the next fsync).
 *
 * <p>After each batch it releases the proposers waiting for their writes and the linearizable
 * reads waiting for the applied index.
 *
 * <p>Apply is total: every committed entry is applied, or turned into an error for its client,
 * the same way on every member, and the member goes on. An {@link EtcdException} is a client's
 * answer. An entry that does not decode, or that the state machine throws on, is a request the
 * edge's checks should have refused: its bytes and the state it meets are the same on every
 * member, so every member records it as applied with no change, and its proposer gets INTERNAL.
 * Only a storage I/O failure ({@link StorageException}, {@link UncheckedIOException}) or an
 * {@link Error} other than a stack overflow stops the member, since a write may or may not have
 * reached the disk and going on could diverge.
 */
final class Applier implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(Applier.class);

  /** Work for the apply thread, done in the order queued. */
  sealed interface Work {}

  /** A committed batch, with the membership raft reached at each conf change in it. */
  record Batch(List<Entry> entries, List<ConfState> confStates) implements Work {}

  /**
   * Replace the state machine's content with a staged snapshot checkpoint; {@code done} completes
   * with the applied index the content brings.
   */
  record Install(Path checkpoint, CompletableFuture<Long> done) implements Work {}

  private static final Batch STOP = new Batch(List.of(), List.of());

  private final long memberId;
  private final StateMachine stateMachine;
  private final PendingRequests pending;
  private final LinearizableReads reads;
  private final FatalErrorHandler fatal;
  private final BlockingQueue<Work> queue = new LinkedBlockingQueue<>();
  /** Bounds the ERROR lines for entries that could not apply (a client may send many). */
  private final LogRateLimit unappliedLog = new LogRateLimit(10, 60_000_000_000L, System::nanoTime);

  /** Last applied index; written by the apply thread only. */
  private volatile long appliedIndex;

  Applier(long memberId, StateMachine stateMachine, PendingRequests pending, LinearizableReads reads,
      FatalErrorHandler fatal) {
    this.memberId = memberId;
    this.stateMachine = stateMachine;
    this.pending = pending;
    this.reads = reads;
    this.fatal = fatal;
    this.appliedIndex = stateMachine.applied().index();
  }

  void submit(Batch batch) {
    if (!batch.entries().isEmpty()) {
      queue.add(batch);
    }
  }

  /** Queues a snapshot install after everything queued so far; see {@link Install}. */
  CompletableFuture<Long> install(Path checkpoint) {
    CompletableFuture<Long> done = new CompletableFuture<>();
    queue.add(new Install(checkpoint, done));
    return done;
  }

  void stop() {
    queue.add(STOP);
  }

  long appliedIndex() {
    return appliedIndex;
  }

  /** Entries handed over but not yet applied (for back-pressure and metrics). */
  int backlog() {
    return queue.size();
  }

  @Override
  public void run() {
    try {
      while (true) {
        Work work = stateMachine.hasIdleWork() ? queue.poll() : queue.take();
        if (work == null) {
          stateMachine.doIdleWork();
          continue;
        }
        if (work == STOP) {
          return;
        }
        if (work instanceof Install install) {
          installSnapshot(install);
        } else {
          applyBatch((Batch) work);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | Error e) {
      failQueuedInstalls(e);
      fatal.fail("apply failed at index " + (appliedIndex + 1), e);
    }
  }

  private void installSnapshot(Install install) {
    try {
      stateMachine.installSnapshot(install.checkpoint());
    } catch (RuntimeException | Error e) {
      install.done().completeExceptionally(e);
      throw e;
    }
    appliedIndex = stateMachine.applied().index();
    reads.onApplied(appliedIndex);
    install.done().complete(appliedIndex);
  }

  /** The apply thread is dying: a raft loop waiting for an install must not wait forever. */
  private void failQueuedInstalls(Throwable cause) {
    for (Work work : queue) {
      if (work instanceof Install install) {
        install.done().completeExceptionally(cause);
      }
    }
  }

  private void applyBatch(Batch batch) {
    int confIndex = 0;
    for (Entry entry : batch.entries()) {
      if (entry.index() <= appliedIndex) {
        continue; // replayed after a restart: already in the store
      }
      if (entry.type() == EntryType.CONF_CHANGE) {
        ConfChange change = ConfChange.decode(entry.data());
        stateMachine.applyConfChange(entry.index(), entry.term(), change, batch.confStates().get(confIndex++));
        answerConfChange(change);
      } else if (entry.data().length == 0) {
        stateMachine.applyEmpty(entry.index(), entry.term());
      } else {
        applyRequest(entry);
      }
      appliedIndex = entry.index();
    }
    reads.onApplied(appliedIndex);
  }

  /** The proposer of a runtime membership change gets the membership the change produced. */
  private void answerConfChange(ConfChange change) {
    ConfChangeContext context = ConfChangeContexts.decode(change.context());
    if (context.getProposerId() == memberId) {
      pending.complete(context.getRequestId(), stateMachine.members());
    }
  }

  private void applyRequest(Entry entry) {
    LogRequest request;
    try {
      request = RequestLimits.parse(LogRequest.parser(), entry.data());
    } catch (InvalidProtocolBufferException e) {
      // No proposer to answer: the id is inside the bytes that do not decode.
      stateMachine.applyEmpty(entry.index(), entry.term());
      logUnapplied(entry, "it does not decode", e);
      return;
    }
    boolean mine = request.getProposerId() == memberId;
    try {
      Object response = stateMachine.apply(entry.index(), entry.term(), request);
      if (mine) {
        pending.complete(request.getRequestId(), response);
      }
    } catch (EtcdException e) {
      if (mine) {
        pending.fail(request.getRequestId(), e);
      }
      LOG.debug("entry {} rejected at apply: {}", entry.index(), e.getMessage());
    } catch (StorageException | UncheckedIOException e) {
      throw e;
    } catch (RuntimeException | StackOverflowError e) {
      stateMachine.applyEmpty(entry.index(), entry.term());
      logUnapplied(entry, request.getRequestCase() + " failed", e);
      if (mine) {
        pending.fail(request.getRequestId(), Status.INTERNAL
            .withDescription("etcdserver: request could not be applied: " + e).asRuntimeException());
      }
    }
  }

  private void logUnapplied(Entry entry, String why, Throwable e) {
    long leftOut = unappliedLog.tryAcquire();
    if (leftOut >= 0) {
      LOG.error("committed entry {} (term {}) recorded as applied without changes, on every member alike: {}"
          + " ({} more such entries not logged)", entry.index(), entry.term(), why, leftOut, e);
    }
  }
}
