package io.cairn.server.watch;

import io.cairn.server.faults.FaultHooks;
import com.google.protobuf.CodedOutputStream;
import io.cairn.api.etcdserverpb.WatchResponse;
import io.cairn.api.mvccpb.Event;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * The server side of one gRPC Watch stream: its watchers by id, and the bounded outbox of
 * responses waiting for the client to take them.
 *
 * <p>Why an outbox and not gRPC's own buffering: gRPC buffers without limit, so a client that
 * reads slowly would grow the server's memory. Responses are only written while the transport is
 * ready ({@link ServerCallStreamObserver#isReady()}); events wait in the outbox up to
 * {@link #maxQueuedEvents}, and a watcher whose events do not fit becomes unsynced and later
 * catches up from the store ({@link WatchHub}). Control responses (created, canceled, progress)
 * always queue: there is at most one per client request or progress tick.
 *
 * <p>Lock order: the hub's lock, then this stream's. Responses are written by one task at a time
 * on {@code sender}, never on the apply thread.
 */
final class WatchStream {
  /** Control responses the outbox holds before the stream stops reading requests. */
  static final int MAX_QUEUED_CONTROLS = 64;

  /** A response and whether it may be split into fragments if too large. */
  private record Outgoing(WatchResponse response, boolean fragment) {}

  private final ServerCallStreamObserver<WatchResponse> out;
  private final Executor sender;
  private final Runnable roomFreed;
  private final int maxQueuedEvents;
  private final int maxResponseBytes;
  /** Whether the stream asked for {@code hasleader} (it then ends when the member loses its leader). */
  final boolean requiresLeader;

  /** This stream's watchers by id. Guarded by the hub's lock. */
  final Map<Long, Watcher> watchers = new HashMap<>();
  /** Next id to try for a watch created without one (etcd: per stream, from 0). Guarded by the hub's lock. */
  long nextAutoId;
  /** A progress request waits for every watcher of the stream to be synced. Guarded by the hub's lock. */
  boolean progressRequested;

  /** Guarded by this. */
  private final ArrayDeque<Outgoing> outbox = new ArrayDeque<>();
  /** Control responses in {@link #outbox}. Guarded by this. */
  private int queuedControls;
  /** Whether reading the client's next request waits for the outbox to drain. Guarded by this. */
  private boolean readPaused;
  /** Events responses offered so far (what {@link FaultHooks#dropWatchEventsResponse} counts). Guarded by this. */
  private long eventsResponses;
  /** Events in {@link #outbox}. Guarded by this. */
  private int queuedEvents;
  /** Whether a send task is scheduled or running. Guarded by this. */
  private boolean sending;
  /** Once set nothing more is written. Guarded by this. */
  private boolean closed;
  /** Deliberate misbehaviour of a fault-injection run; {@link FaultHooks#NONE} otherwise. */
  private final FaultHooks faults;

  WatchStream(ServerCallStreamObserver<WatchResponse> out, Executor sender, Runnable roomFreed,
      int maxQueuedEvents, int maxResponseBytes, boolean requiresLeader, FaultHooks faults) {
    this.out = out;
    this.faults = faults;
    this.sender = sender;
    this.roomFreed = roomFreed;
    this.maxQueuedEvents = maxQueuedEvents;
    this.maxResponseBytes = maxResponseBytes;
    this.requiresLeader = requiresLeader;
    out.setOnReadyHandler(this::scheduleSend);
  }

  /**
   * Queues an events response if there is room: the outbox is empty (a single revision larger
   * than the bound always gets through) or the events fit under the bound.
   *
   * @return false if the response was not queued (the watcher must catch up later)
   */
  synchronized boolean offerEvents(WatchResponse response, boolean fragment) {
    if (closed) {
      return true; // nobody will read it; the watcher is about to be dropped with the stream
    }
    int n = response.getEventsCount();
    if (queuedEvents > 0 && queuedEvents + n > maxQueuedEvents) {
      return false;
    }
    if (faults.dropWatchEventsResponse(++eventsResponses)) {
      return true; // a deliberate fault: claims it was queued
    }
    outbox.add(new Outgoing(response, fragment));
    queuedEvents += n;
    scheduleSendLocked();
    return true;
  }

  /** Events waiting in the outbox (the memory a slow client costs). */
  synchronized int queuedEvents() {
    return queuedEvents;
  }

  /** Whether an events response would currently be refused for lack of room. */
  synchronized boolean isFull() {
    return queuedEvents >= maxQueuedEvents;
  }

  /** Queues a control response (created, canceled, compacted, progress). */
  synchronized void offerControl(WatchResponse response) {
    if (closed) {
      return;
    }
    outbox.add(new Outgoing(response, false));
    queuedEvents += response.getEventsCount();
    queuedControls++;
    scheduleSendLocked();
  }

  /**
   * Asks gRPC for the client's next request, unless answers to earlier ones still wait in the
   * outbox beyond {@link #MAX_QUEUED_CONTROLS}: then the next request is read once they are sent.
   * This is how a client that sends requests but does not read answers is held back (etcd blocks
   * its receive loop on a bounded control channel the same way).
   */
  synchronized void requestNextWhenRoom() {
    if (closed) {
      return;
    }
    if (queuedControls > MAX_QUEUED_CONTROLS) {
      readPaused = true;
    } else {
      out.request(1);
    }
  }

  private synchronized void scheduleSend() {
    scheduleSendLocked();
  }

  private void scheduleSendLocked() {
    if (!sending && !closed && !outbox.isEmpty()) {
      sending = true;
      try {
        sender.execute(this::sendReady);
      } catch (RejectedExecutionException memberStopping) {
        // The member is shutting down and its streams end with it.
        sending = false;
        closed = true;
        outbox.clear();
    queuedControls = 0;
        queuedEvents = 0;
      }
    }
  }

  /** Writes queued responses while the transport takes them. */
  private void sendReady() {
    boolean freed = false;
    synchronized (this) {
      try {
        while (!closed && !outbox.isEmpty() && out.isReady()) {
          Outgoing next = outbox.poll();
          queuedEvents -= next.response().getEventsCount();
          freed |= next.response().getEventsCount() > 0;
          if (isControl(next.response())) {
            queuedControls--;
          }
          write(next);
        }
      } catch (RuntimeException e) {
        // The call is gone (client canceled); the hub drops the stream on its own callbacks.
        closed = true;
        outbox.clear();
    queuedControls = 0;
        queuedEvents = 0;
      } finally {
        sending = false;
      }
      if (readPaused && !closed && queuedControls <= MAX_QUEUED_CONTROLS) {
        readPaused = false;
        out.request(1);
      }
      // isReady() may have turned true between the last check and clearing the flag; the
      // ready handler then found sending == true and did nothing: look again.
      if (!closed && !outbox.isEmpty() && out.isReady()) {
        scheduleSendLocked();
      }
    }
    if (freed) {
      roomFreed.run();
    }
  }

  private void write(Outgoing next) {
    WatchResponse response = next.response();
    if (!next.fragment() || response.getEventsCount() < 2 || response.getSerializedSize() < maxResponseBytes) {
      out.onNext(response);
      return;
    }
    // etcd's fragmenting: as many events per response as stay under the limit (at least one),
    // fragment=true on all but the last.
    List<Event> events = response.getEventsList();
    WatchResponse empty = response.toBuilder().clearEvents().setFragment(true).build();
    int index = 0;
    while (index < events.size()) {
      WatchResponse.Builder part = empty.toBuilder();
      int size = empty.getSerializedSize();
      while (index < events.size()) {
        Event e = events.get(index);
        int added = CodedOutputStream.computeMessageSize(WatchResponse.EVENTS_FIELD_NUMBER, e);
        if (part.getEventsCount() > 0 && size + added >= maxResponseBytes) {
          break;
        }
        part.addEvents(e);
        size += added;
        index++;
      }
      if (index == events.size()) {
        part.setFragment(false);
      }
      out.onNext(part.build());
    }
  }

  private static boolean isControl(WatchResponse r) {
    return r.getEventsCount() == 0;
  }

  /** Ends the stream with an error status (e.g. no leader); nothing more is written. */
  synchronized void abort(Status status) {
    if (closed) {
      return;
    }
    closed = true;
    outbox.clear();
    queuedControls = 0;
    queuedEvents = 0;
    try {
      out.onError(status.asRuntimeException());
    } catch (RuntimeException alreadyGone) {
      // the call ended meanwhile
    }
  }

  /** The call ended (client canceled or failed): nothing more is written. */
  synchronized void markClosed() {
    closed = true;
    outbox.clear();
    queuedControls = 0;
    queuedEvents = 0;
  }

  synchronized boolean isClosed() {
    return closed;
  }
}
