package io.cairn.server.watch;

import io.cairn.server.faults.FaultHooks;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.cairn.api.etcdserverpb.PutRequest;
import io.cairn.api.etcdserverpb.ResponseHeader;
import io.cairn.api.etcdserverpb.WatchCreateRequest;
import io.cairn.api.etcdserverpb.WatchResponse;
import io.cairn.api.mvccpb.Event;
import io.cairn.storage.kv.KvApplier;
import io.cairn.storage.mvcc.MvccOptions;
import io.cairn.storage.mvcc.MvccStore;
import io.grpc.stub.ServerCallStreamObserver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hub against a real store with a client whose transport the test controls: a client that
 * stops reading costs bounded memory, holds up neither writes nor other watchers, and gets every
 * event exactly once when it reads again.
 */
class WatchHubTest {
  private static final int MAX_QUEUED = 16;
  @TempDir Path dir;
  MvccStore store;
  KvApplier kv;
  WatchHub hub;
  long index;

  @BeforeEach
  void open() {
    store = MvccStore.open(dir.resolve("db"), MvccOptions.defaults());
    kv = new KvApplier(store);
    hub = new WatchHub(store, rev -> ResponseHeader.newBuilder().setRevision(rev).build(), Duration.ZERO);
  }

  @AfterEach
  void close() {
    hub.close();
    store.close();
  }

  /** A client transport: writes land in a list while "ready"; otherwise the server must hold them. */
  static final class FakeClient extends ServerCallStreamObserver<WatchResponse> {
    final List<WatchResponse> received = new ArrayList<>();
    volatile boolean ready;
    int requested;
    Runnable onReady = () -> { };

    @Override public boolean isReady() { return ready; }
    @Override public void setOnReadyHandler(Runnable r) { onReady = r; }
    @Override public void setOnCancelHandler(Runnable r) { }
    @Override public void setCompression(String c) { }
    @Override public boolean isCancelled() { return false; }
    @Override public synchronized void request(int n) { requested += n; }
    @Override public void setMessageCompression(boolean b) { }
    @Override public void disableAutoInboundFlowControl() { }
    @Override public synchronized void onNext(WatchResponse r) {
      received.add(r);
      notifyAll();
    }
    @Override public void onError(Throwable t) { }
    @Override public void onCompleted() { }

    synchronized List<Event> events() {
      List<Event> all = new ArrayList<>();
      received.forEach(r -> all.addAll(r.getEventsList()));
      return all;
    }

    synchronized void awaitEvents(int n, Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (events().size() < n && System.nanoTime() < deadline) {
        wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
      }
    }
  }

  private WatchStream stream(FakeClient client) {
    return hub.register(new WatchStream(client, Runnable::run, hub::wakeSync, MAX_QUEUED, 1 << 20, false, FaultHooks.NONE));
  }

  private long put(String key, String value) {
    kv.put(++index, 1, PutRequest.newBuilder().setKey(ByteString.copyFromUtf8(key)).setValue(ByteString.copyFromUtf8(value)).build());
    long rev = store.currentRevision();
    hub.revisionApplied(rev, () -> store.events(rev, rev, Integer.MAX_VALUE));
    return rev;
  }

  @Test
  void stalledClientCostsBoundedMemoryAndCatchesUpExactly() throws Exception {
    FakeClient slow = new FakeClient();
    FakeClient fast = new FakeClient();
    fast.ready = true;
    WatchStream slowStream = stream(slow);
    WatchStream fastStream = stream(fast);
    WatchCreateRequest all = WatchCreateRequest.newBuilder().setKey(ByteString.copyFrom(new byte[] {0}))
        .setRangeEnd(ByteString.copyFrom(new byte[] {0})).setPrevKv(true).build();
    hub.create(slowStream, all);
    hub.create(fastStream, all);
    SplittableRandom random = new SplittableRandom(7);
    int writes = 500;
    long first = store.currentRevision() + 1;
    for (int i = 0; i < writes; i++) {
      put("k" + random.nextInt(20), "v" + i);
      assertTrue(slowStream.queuedEvents() <= MAX_QUEUED, "queued " + slowStream.queuedEvents());
    }
    assertEquals(writes, fast.events().size(), "the fast watcher got every write as it happened");
    assertEquals(1, hub.unsyncedCount(), "the stalled watcher fell back to catching up");
    assertTrue(slow.received.isEmpty());

    slow.ready = true;
    slow.onReady.run();
    slow.awaitEvents(writes, Duration.ofSeconds(20));
    List<Event> got = slow.events();
    assertEquals(writes, got.size());
    for (int i = 0; i < writes; i++) {
      assertEquals(first + i, got.get(i).getKv().getModRevision(), "in order, no gaps, no duplicates");
      assertEquals(fast.events().get(i), got.get(i), "same event (with prev_kv) as the live watcher got");
    }
    long last = put("after", "catch-up");
    slow.awaitEvents(writes + 1, Duration.ofSeconds(20));
    assertEquals(last, slow.events().get(writes).getKv().getModRevision());
    assertEquals(0, hub.unsyncedCount(), "synced again");
  }

  @Test
  void aClientThatDoesNotReadAnswersIsNotReadFromEither() throws Exception {
    FakeClient client = new FakeClient();
    WatchStream s = stream(client);
    WatchCreateRequest create = WatchCreateRequest.newBuilder().setKey(ByteString.copyFromUtf8("x")).build();
    for (int i = 0; i < 3 * WatchStream.MAX_QUEUED_CONTROLS; i++) {
      hub.create(s, create.toBuilder().setWatchId(i + 1).build());
      s.requestNextWhenRoom();
    }
    assertEquals(WatchStream.MAX_QUEUED_CONTROLS, client.requested, "reading stopped once the answers piled up");
    client.ready = true;
    client.onReady.run();
    assertEquals(3 * WatchStream.MAX_QUEUED_CONTROLS, client.received.size());
    assertEquals(WatchStream.MAX_QUEUED_CONTROLS + 1, client.requested, "reading resumed when they were taken");
  }

  @Test
  void futureStartRevisionWaitsForIt() throws Exception {
    FakeClient client = new FakeClient();
    client.ready = true;
    WatchStream s = stream(client);
    long now = put("a", "1");
    hub.create(s, WatchCreateRequest.newBuilder().setKey(ByteString.copyFromUtf8("a")).setStartRevision(now + 3).build());
    put("a", "2");
    put("a", "3");
    long third = put("a", "4");
    client.awaitEvents(1, Duration.ofSeconds(5));
    assertEquals(List.of(third), client.events().stream().map(e -> e.getKv().getModRevision()).toList());
  }
}
