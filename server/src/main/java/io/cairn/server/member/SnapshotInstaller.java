package io.cairn.server.member;

import io.cairn.raft.Snapshot;
import io.cairn.raft.SnapshotMetadata;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs a snapshot raft accepted from the leader: the state machine becomes the staged
 * checkpoint and the raft log restarts after the snapshot, with a crash at any point leaving a
 * member that either never started the install or finishes it on restart.
 *
 * <p>The steps, each durable before the next:
 * <ol>
 *   <li>the install marker names the staged checkpoint;
 *   <li>the raft log records the snapshot (WAL snapshot marker): the commit point, after which the
 *       log no longer holds the entries the snapshot replaces, so the install must finish;
 *   <li>the applier replaces the state machine's content, in order after every batch queued
 *       before, and flushes it;
 *   <li>the marker and staged checkpoints are deleted.
 * </ol>
 * On restart, {@link #finishInterrupted} redoes step 3 if a marker survived and the raft log has
 * the snapshot; without the log record the install never committed and is dropped (the leader
 * sends the snapshot again). Replacing the content is idempotent, so redoing it is always safe.
 *
 * <p>The content may be newer than the snapshot's index (the leader checkpoints its store as it is
 * when sending): entries up to the content's applied index are then skipped when they arrive.
 */
final class SnapshotInstaller {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotInstaller.class);

  private final SnapshotDirectory directory;
  /** Snapshots installed since this member started (tests and metrics look at it). */
  private final AtomicLong installed = new AtomicLong();

  SnapshotInstaller(SnapshotDirectory directory) {
    this.directory = directory;
  }

  long installed() {
    return installed.get();
  }

  /** Raft loop thread: installs {@code snapshot}, waiting until the applier has replaced the content. */
  void install(Snapshot snapshot, RaftLogStore log, Applier applier) {
    SnapshotMetadata meta = snapshot.metadata();
    Path staged = directory.staged(meta.term(), meta.index());
    if (staged == null) {
      throw new IllegalStateException("raft accepted snapshot at index " + meta.index() + " term " + meta.term()
          + " but no checkpoint for it is staged in " + directory.path());
    }
    directory.writeMarker(new SnapshotDirectory.InstallMarker(meta.term(), meta.index(),
        staged.getFileName().toString()));
    log.installSnapshot(snapshot);
    long applied;
    try {
      applied = applier.install(staged).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while installing snapshot " + meta.index()
          + "; the install finishes on restart", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("installing snapshot " + meta.index() + " failed", e.getCause());
    }
    requireContentCovers(applied, meta.index());
    directory.clearMarker();
    directory.deleteStagedUpTo(meta.index());
    installed.incrementAndGet();
    LOG.info("installed snapshot at index {} term {}; state machine applied index now {}", meta.index(),
        meta.term(), applied);
  }

  /**
   * Startup, before raft starts: finishes an install a crash interrupted and deletes the leftovers
   * of earlier transfers.
   *
   * @param logSnapshotIndex the index of the newest snapshot marker in the recovered raft log
   */
  static void finishInterrupted(SnapshotDirectory directory, long logSnapshotIndex, StateMachine stateMachine) {
    Optional<SnapshotDirectory.InstallMarker> marker = directory.readMarker();
    if (marker.isPresent() && logSnapshotIndex >= marker.get().index()) {
      SnapshotDirectory.InstallMarker m = marker.get();
      Path staged = directory.path().resolve(m.stagedName());
      if (staged.equals(directory.staged(m.term(), m.index()))) {
        LOG.warn("finishing the install of snapshot {} interrupted by a crash, from {}", m.index(), staged);
        stateMachine.installSnapshot(staged);
        requireContentCovers(stateMachine.applied().index(), m.index());
      } else if (stateMachine.applied().index() < m.index()) {
        throw new IllegalStateException("an install of snapshot " + m.index() + " was interrupted and its "
            + "checkpoint " + staged + " is gone; the store (applied index " + stateMachine.applied().index()
            + ") cannot be completed: restore this member from a backup or re-add it");
      }
    } else if (marker.isPresent()) {
      LOG.info("dropping the install of snapshot {}: a crash came before the raft log recorded it",
          marker.get().index());
    }
    directory.clearMarker();
    directory.deleteLeftovers(null);
  }

  private static void requireContentCovers(long applied, long snapshotIndex) {
    if (applied < snapshotIndex) {
      throw new IllegalStateException("snapshot content is at applied index " + applied
          + ", older than the snapshot's index " + snapshotIndex);
    }
  }
}
