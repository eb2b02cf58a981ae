package io.cairn.server.watch;

import com.google.protobuf.ByteString;
import io.cairn.api.EtcdError;
import io.cairn.api.EtcdException;
import io.cairn.api.etcdserverpb.ResponseHeader;
import io.cairn.api.etcdserverpb.WatchCreateRequest;
import io.cairn.api.etcdserverpb.WatchResponse;
import io.cairn.api.mvccpb.Event;
import io.cairn.storage.mvcc.KeyRange;
import io.cairn.storage.mvcc.MvccStore;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every watcher of one member, and the delivery of the store's events to them, after etcd's
 * watchable store: a <em>synced</em> group that gets each new revision as the apply thread writes
 * it, and an <em>unsynced</em> group that a background thread feeds from the store's history until
 * it reaches the present.
 *
 * <p>Why two groups: a slow client must never hold up writes or other watchers, and memory must
 * stay bounded. The apply thread only offers a revision to each synced watcher's stream; a stream
 * whose outbox is full refuses, and its watcher drops to unsynced, remembering the first revision
 * it missed. Catching up reads the store in bounded batches, so a watcher far behind (or started
 * at an old revision) costs store reads, not memory. A watcher is moved back to synced under the
 * hub's lock only when it has everything up to the revision the synced group has been given, so
 * no revision is lost or sent twice in the move.
 *
 * <p>Guarantees per watcher: events in revision order, each once, none missing from its start,
 * every revision's events in one response (unless fragmenting), a start below the compaction
 * answered with {@code compact_revision} and canceled.
 */
public final class WatchHub implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WatchHub.class);
  /** Events read from the store per catch-up step (a revision is never split). */
  static final int CATCH_UP_BATCH = 1000;
  static final Duration SYNC_INTERVAL = Duration.ofMillis(100);

  private final MvccStore store;
  private final LongFunction<ResponseHeader> headers;
  private final ScheduledExecutorService background;
  private final Object lock = new Object();
  private final AtomicBoolean syncScheduled = new AtomicBoolean();
  private final AtomicLong fallBehind = new AtomicLong();

  /** Highest revision offered to the synced group. Guarded by {@link #lock}. */
  private long notifiedRevision;
  /** Synced one-key watchers by key. Guarded by {@link #lock}. */
  private final Map<ByteString, Set<Watcher>> syncedByKey = new HashMap<>();
  /** Synced range watchers. Guarded by {@link #lock}. */
  private final Set<Watcher> syncedRanges = new LinkedHashSet<>();
  /** Watchers catching up from the store. Guarded by {@link #lock}. */
  private final Set<Watcher> unsynced = new LinkedHashSet<>();
  /** Open streams. Guarded by {@link #lock}. */
  private final Set<WatchStream> streams = new LinkedHashSet<>();

  /**
   * @param headers a response header at a revision (cluster id, member id, raft term filled)
   */
  public WatchHub(MvccStore store, LongFunction<ResponseHeader> headers, Duration progressInterval) {
    this.store = store;
    this.headers = headers;
    this.notifiedRevision = store.currentRevision();
    this.background = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "cairn-watch-sync");
      t.setDaemon(true);
      return t;
    });
    background.scheduleWithFixedDelay(this::syncSafely, SYNC_INTERVAL.toMillis(), SYNC_INTERVAL.toMillis(),
        TimeUnit.MILLISECONDS);
    if (!progressInterval.isZero()) {
      background.scheduleWithFixedDelay(this::progressTick, progressInterval.toMillis(), progressInterval.toMillis(),
          TimeUnit.MILLISECONDS);
    }
  }

  /** The revision every synced watcher has been given (tests and progress responses). */
  public long notifiedRevision() {
    synchronized (lock) {
      return notifiedRevision;
    }
  }

  /** How many times a synced watcher fell behind (its stream was full) since start. */
  public long fallBehindCount() {
    return fallBehind.get();
  }

  /** Watchers currently catching up from the store (tests, metrics). */
  int unsyncedCount() {
    synchronized (lock) {
      return unsynced.size();
    }
  }

  // ---- apply thread ----

  /**
   * A new revision was written: offers its events to the synced watchers. Called on the apply
   * thread for each revision, in order, before the next entry applies.
   */
  public void revisionApplied(long revision, Supplier<List<Event>> events) {
    synchronized (lock) {
      if (revision <= notifiedRevision) {
        return; // a replay after a snapshot install: these were offered before
      }
      if (revision != notifiedRevision + 1) {
        // The store jumped (a snapshot replaced it): whoever is synced now must catch up.
        for (Watcher w : syncedWatchers()) {
          toUnsynced(w, notifiedRevision + 1);
        }
        notifiedRevision = revision;
        wakeSync();
        return;
      }
      if (!syncedRanges.isEmpty() || !syncedByKey.isEmpty()) {
        List<Event> all = events.get();
        Map<Watcher, List<Event>> byWatcher = new LinkedHashMap<>();
        for (Event e : all) {
          Set<Watcher> forKey = syncedByKey.get(e.getKv().getKey());
          if (forKey != null) {
            for (Watcher w : forKey) {
              collect(byWatcher, w, e);
            }
          }
          for (Watcher w : syncedRanges) {
            collect(byWatcher, w, e);
          }
        }
        ResponseHeader header = byWatcher.isEmpty() ? null : headers.apply(revision);
        for (Map.Entry<Watcher, List<Event>> entry : byWatcher.entrySet()) {
          Watcher w = entry.getKey();
          WatchResponse response = WatchResponse.newBuilder().setHeader(header).setWatchId(w.id)
              .addAllEvents(entry.getValue()).build();
          if (w.stream.offerEvents(response, w.fragment)) {
            w.sentSinceProgressTick = true;
          } else {
            fallBehind.incrementAndGet();
            toUnsynced(w, revision);
          }
        }
      }
      notifiedRevision = revision;
    }
  }

  private static void collect(Map<Watcher, List<Event>> byWatcher, Watcher w, Event e) {
    if (w.matches(e)) {
      byWatcher.computeIfAbsent(w, k -> new ArrayList<>()).add(w.shape(e));
    }
  }

  // ---- streams (gRPC threads) ----

  WatchStream register(WatchStream stream) {
    synchronized (lock) {
      streams.add(stream);
    }
    return stream;
  }

  /** The stream ended: its watchers go. */
  void unregister(WatchStream stream) {
    synchronized (lock) {
      streams.remove(stream);
      for (Watcher w : List.copyOf(stream.watchers.values())) {
        remove(w);
      }
      stream.watchers.clear();
    }
  }

  /** etcd's watch create, answered on the stream (created, or created+canceled with a reason). */
  void create(WatchStream stream, WatchCreateRequest request) {
    synchronized (lock) {
      ByteString key = request.getKey().isEmpty() ? ByteString.copyFrom(new byte[] {0}) : request.getKey();
      ByteString end = request.getRangeEnd();
      boolean fromKey = end.size() == 1 && end.byteAt(0) == 0;
      if (!end.isEmpty() && !fromKey && ByteString.unsignedLexicographicalComparator().compare(key, end) >= 0) {
        refuse(stream, "mvcc: watcher range is empty");
        return;
      }
      if (request.getStartRevision() < 0) {
        refuse(stream, EtcdError.COMPACTED.message());
        return;
      }
      long id = request.getWatchId();
      if (id == 0) {
        while (stream.watchers.containsKey(stream.nextAutoId)) {
          stream.nextAutoId++;
        }
        id = stream.nextAutoId++;
      } else if (stream.watchers.containsKey(id)) {
        refuse(stream, "mvcc: duplicate watch ID provided on the WatchStream");
        return;
      }
      long start = request.getStartRevision();
      boolean synced = start == 0 || start > notifiedRevision;
      long minRevision = synced ? Math.max(notifiedRevision + 1, start) : start;
      KeyRange range = KeyRange.of(key, end);
      Watcher w = new Watcher(id, stream, range, end.isEmpty() ? key : null, request, minRevision);
      stream.watchers.put(id, w);
      stream.offerControl(WatchResponse.newBuilder().setHeader(headers.apply(notifiedRevision))
          .setWatchId(id).setCreated(true).build());
      if (synced) {
        w.nextRevision = notifiedRevision + 1;
        toSynced(w);
      } else {
        w.synced = false;
        unsynced.add(w);
        wakeSync();
      }
    }
  }

  /** A create refused before it reached the hub (auth): etcd's created-and-canceled answer. */
  void refuseCreate(WatchStream stream, String reason) {
    synchronized (lock) {
      refuse(stream, reason);
    }
  }

  private void refuse(WatchStream stream, String reason) {
    stream.offerControl(WatchResponse.newBuilder().setHeader(headers.apply(notifiedRevision)).setWatchId(-1)
        .setCreated(true).setCanceled(true).setCancelReason(reason).build());
  }

  /** etcd's watch cancel: answered with canceled=true if the watcher exists, ignored otherwise. */
  void cancel(WatchStream stream, long id) {
    synchronized (lock) {
      Watcher w = stream.watchers.remove(id);
      if (w == null) {
        return;
      }
      remove(w);
      stream.offerControl(WatchResponse.newBuilder().setHeader(headers.apply(notifiedRevision))
          .setWatchId(id).setCanceled(true).build());
    }
  }

  /**
   * etcd 3.5's progress request: once every watcher of the stream is synced, one response with
   * watch id -1 and no events at the revision all of them have reached.
   */
  void requestProgress(WatchStream stream) {
    synchronized (lock) {
      stream.progressRequested = true;
      answerProgressIfSynced(stream);
    }
  }

  private void answerProgressIfSynced(WatchStream stream) {
    if (!stream.progressRequested || stream.watchers.isEmpty()) {
      return;
    }
    for (Watcher w : stream.watchers.values()) {
      if (!w.synced) {
        return;
      }
    }
    stream.progressRequested = false;
    stream.offerControl(WatchResponse.newBuilder().setHeader(headers.apply(notifiedRevision)).setWatchId(-1).build());
  }

  /** Ends every stream that asked for a leader (hasleader) with etcd's no-leader error. */
  public void abortLeaderRequiringStreams(Status status) {
    List<WatchStream> aborted = new ArrayList<>();
    synchronized (lock) {
      for (WatchStream s : streams) {
        if (s.requiresLeader) {
          aborted.add(s);
        }
      }
    }
    for (WatchStream s : aborted) {
      unregister(s);
      s.abort(status);
    }
  }

  // ---- group moves (under lock) ----

  private List<Watcher> syncedWatchers() {
    List<Watcher> all = new ArrayList<>(syncedRanges);
    syncedByKey.values().forEach(all::addAll);
    return all;
  }

  private void toSynced(Watcher w) {
    unsynced.remove(w);
    w.synced = true;
    if (w.singleKey != null) {
      syncedByKey.computeIfAbsent(w.singleKey, k -> new LinkedHashSet<>()).add(w);
    } else {
      syncedRanges.add(w);
    }
    answerProgressIfSynced(w.stream);
  }

  private void toUnsynced(Watcher w, long nextRevision) {
    removeFromSynced(w);
    w.synced = false;
    w.nextRevision = nextRevision;
    unsynced.add(w);
    wakeSync();
  }

  private void removeFromSynced(Watcher w) {
    if (w.singleKey != null) {
      Set<Watcher> set = syncedByKey.get(w.singleKey);
      if (set != null && set.remove(w) && set.isEmpty()) {
        syncedByKey.remove(w.singleKey);
      }
    } else {
      syncedRanges.remove(w);
    }
  }

  private void remove(Watcher w) {
    w.canceled = true;
    removeFromSynced(w);
    unsynced.remove(w);
  }

  // ---- catching up (background thread) ----

  /** Asks the background thread to look at the unsynced group soon. */
  void wakeSync() {
    if (syncScheduled.compareAndSet(false, true)) {
      try {
        background.execute(this::syncSafely);
      } catch (RejectedExecutionException closed) {
        syncScheduled.set(false);
      }
    }
  }

  private void syncSafely() {
    syncScheduled.set(false);
    try {
      syncUnsynced();
    } catch (RuntimeException e) {
      LOG.error("watch catch-up failed; retrying on the next round", e);
    }
  }

  private void syncUnsynced() {
    List<Watcher> pending;
    synchronized (lock) {
      pending = new ArrayList<>(unsynced);
    }
    boolean more = false;
    for (Watcher w : pending) {
      more |= catchUp(w);
    }
    if (more) {
      wakeSync();
    }
  }

  /**
   * Moves one unsynced watcher forward by at most one batch read from the store.
   *
   * @return whether it is still behind and could progress now (its stream has room)
   */
  private boolean catchUp(Watcher w) {
    long from;
    long target;
    synchronized (lock) {
      if (w.canceled || w.synced) {
        return false;
      }
      if (w.stream.isFull()) {
        return false; // its stream calls wakeSync when the client took some
      }
      from = w.nextRevision;
      target = notifiedRevision;
      if (from > target) {
        toSynced(w);
        return false;
      }
    }
    List<Event> events;
    try {
      events = store.events(from, target, CATCH_UP_BATCH);
    } catch (EtcdException e) {
      if (e.error() != EtcdError.COMPACTED) {
        throw e;
      }
      synchronized (lock) {
        if (!w.canceled && !w.synced && w.nextRevision == from) {
          // As etcd: compact_revision set, canceled, header revision 0; the watcher is gone.
          w.stream.watchers.remove(w.id);
          remove(w);
          w.stream.offerControl(WatchResponse.newBuilder().setHeader(headers.apply(0)).setWatchId(w.id)
              .setCompactRevision(store.compactedRevision()).setCanceled(true).build());
        }
      }
      return false;
    }
    long through = events.size() < CATCH_UP_BATCH ? target : events.get(events.size() - 1).getKv().getModRevision();
    List<Event> selected = w.select(events);
    synchronized (lock) {
      if (w.canceled || w.synced || w.nextRevision != from) {
        return false;
      }
      if (!selected.isEmpty()) {
        WatchResponse response = WatchResponse.newBuilder().setHeader(headers.apply(target)).setWatchId(w.id)
            .addAllEvents(selected).build();
        if (!w.stream.offerEvents(response, w.fragment)) {
          return false;
        }
        w.sentSinceProgressTick = true;
      }
      w.nextRevision = through + 1;
      if (w.nextRevision > notifiedRevision) {
        toSynced(w);
        return false;
      }
      return true;
    }
  }

  // ---- progress notifications (background thread) ----

  /**
   * etcd's progress notify: every interval, each synced watcher that asked for it and got no
   * events since the last tick gets an empty response at the revision it has reached.
   */
  private void progressTick() {
    try {
      synchronized (lock) {
        ResponseHeader header = null;
        for (WatchStream s : streams) {
          for (Watcher w : s.watchers.values()) {
            if (!w.progressNotify) {
              continue;
            }
            if (!w.sentSinceProgressTick && w.synced) {
              if (header == null) {
                header = headers.apply(notifiedRevision);
              }
              s.offerControl(WatchResponse.newBuilder().setHeader(header).setWatchId(w.id).build());
            }
            w.sentSinceProgressTick = false;
          }
        }
      }
    } catch (RuntimeException e) {
      LOG.error("watch progress tick failed", e);
    }
  }

  @Override
  public void close() {
    background.shutdownNow();
    List<WatchStream> open;
    synchronized (lock) {
      open = new ArrayList<>(streams);
    }
    for (WatchStream s : open) {
      unregister(s);
      s.abort(EtcdError.STOPPED.toStatus());
    }
  }
}
