package io.cairn.server.watch;

import static io.cairn.server.watch.WatchStreamClient.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.api.etcdserverpb.CompactionRequest;
import io.cairn.api.etcdserverpb.DeleteRangeRequest;
import io.cairn.api.etcdserverpb.PutRequest;
import io.cairn.api.etcdserverpb.RequestOp;
import io.cairn.api.etcdserverpb.TxnRequest;
import io.cairn.api.etcdserverpb.WatchCreateRequest;
import io.cairn.api.etcdserverpb.WatchResponse;
import io.cairn.api.mvccpb.Event;
import io.cairn.server.embed.EmbeddedCluster;
import io.cairn.server.testing.EtcdClient;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Watch service's request handling on a one-member cluster, case by case. */
class WatchServiceTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  @TempDir static Path dir;
  static EmbeddedCluster cluster;
  static EtcdClient client;

  @BeforeAll
  static void start() {
    cluster = EmbeddedCluster.builder(1).dataDir(dir)
        .customize(b -> b.watchProgressNotifyInterval(Duration.ofMillis(200)).maxRequestBytes(64 * 1024)).start();
    cluster.awaitLeader(WAIT);
    client = new EtcdClient(cluster.clientEndpoint(0));
  }

  @AfterAll
  static void stop() {
    client.close();
    cluster.close();
  }

  private static WatchStreamClient stream() {
    return new WatchStreamClient(cluster.clientEndpoint(0));
  }

  private static WatchCreateRequest.Builder watch(String key) {
    return WatchCreateRequest.newBuilder().setKey(bytes(key));
  }

  @Test
  void createdThenEventsOfOneKeyWithPrevKv() throws Exception {
    try (WatchStreamClient s = stream()) {
      long before = client.put("a/x", "0").getHeader().getRevision();
      s.create(watch("a/x").setPrevKv(true).build());
      WatchResponse created = s.next(WAIT);
      assertTrue(created.getCreated());
      assertEquals(0, created.getWatchId(), "auto ids start at 0 per stream");
      assertEquals(before, created.getHeader().getRevision());
      long rev = client.put("a/x", "1").getHeader().getRevision();
      client.put("a/other", "ignored");
      WatchResponse events = s.next(WAIT);
      assertEquals(1, events.getEventsCount());
      Event e = events.getEvents(0);
      assertEquals(Event.EventType.PUT, e.getType());
      assertEquals(rev, e.getKv().getModRevision());
      assertEquals(rev, events.getHeader().getRevision());
      assertEquals("0", e.getPrevKv().getValue().toStringUtf8());
      assertEquals(cluster.member(0).member().memberId(), events.getHeader().getMemberId());
    }
  }

  @Test
  void prefixWatchWithFiltersAndTxnAtomicity() throws Exception {
    try (WatchStreamClient s = stream()) {
      s.create(watch("p/").setRangeEnd(bytes("p0")).addFilters(WatchCreateRequest.FilterType.NOPUT).build());
      assertTrue(s.next(WAIT).getCreated());
      client.put("p/1", "a");
      client.put("p/2", "b");
      long rev = client.kv.txn(TxnRequest.newBuilder()
          .addSuccess(RequestOp.newBuilder().setRequestDeleteRange(DeleteRangeRequest.newBuilder().setKey(bytes("p/1"))))
          .addSuccess(RequestOp.newBuilder().setRequestDeleteRange(DeleteRangeRequest.newBuilder().setKey(bytes("p/2"))))
          .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(bytes("p/3"))))
          .build()).getHeader().getRevision();
      WatchResponse r = s.next(WAIT);
      assertEquals(2, r.getEventsCount(), "both deletes of the txn in one response, the put filtered out");
      for (Event e : r.getEventsList()) {
        assertEquals(Event.EventType.DELETE, e.getType());
        assertEquals(rev, e.getKv().getModRevision());
        assertFalse(e.hasPrevKv(), "prev_kv only when asked");
      }
    }
  }

  @Test
  void duplicateIdAndEmptyRangeAreRefusedLikeEtcd() throws Exception {
    try (WatchStreamClient s = stream()) {
      s.create(watch("d").setWatchId(7).build());
      WatchResponse ok = s.next(WAIT);
      assertEquals(7, ok.getWatchId());
      s.create(watch("d2").setWatchId(7).build());
      WatchResponse dup = s.next(WAIT);
      assertTrue(dup.getCreated() && dup.getCanceled());
      assertEquals(-1, dup.getWatchId());
      assertEquals("mvcc: duplicate watch ID provided on the WatchStream", dup.getCancelReason());
      s.create(watch("z").setRangeEnd(bytes("a")).build());
      WatchResponse empty = s.next(WAIT);
      assertTrue(empty.getCanceled());
      assertEquals("mvcc: watcher range is empty", empty.getCancelReason());
    }
  }

  @Test
  void cancelAnswersAndStopsEvents() throws Exception {
    try (WatchStreamClient s = stream()) {
      s.create(watch("c").build());
      long id = s.next(WAIT).getWatchId();
      s.cancel(id);
      WatchResponse canceled = s.next(WAIT);
      assertTrue(canceled.getCanceled());
      assertEquals(id, canceled.getWatchId());
      client.put("c", "after");
      s.requestProgress(); // no watchers left: nothing is sent, as etcd 3.5
      assertNull(s.poll(Duration.ofMillis(300)));
    }
  }

  @Test
  void compactedStartIsCanceledWithCompactRevision() throws Exception {
    try (WatchStreamClient s = stream()) {
      long first = client.put("k/c", "1").getHeader().getRevision();
      long second = client.put("k/c", "2").getHeader().getRevision();
      client.kv.compact(CompactionRequest.newBuilder().setRevision(second).build());
      s.create(watch("k/c").setStartRevision(first).build());
      assertTrue(s.next(WAIT).getCreated());
      WatchResponse compacted = s.next(WAIT);
      assertTrue(compacted.getCanceled());
      assertEquals(second, compacted.getCompactRevision());
      assertEquals(0, compacted.getEventsCount());
    }
  }

  @Test
  void historicalStartCatchesUpThenFollows() throws Exception {
    try (WatchStreamClient s = stream()) {
      long r1 = client.put("h", "1").getHeader().getRevision();
      client.put("h", "2");
      s.create(watch("h").setStartRevision(r1).build());
      assertTrue(s.next(WAIT).getCreated());
      WatchResponse history = s.next(WAIT);
      assertEquals(2, history.getEventsCount());
      assertEquals(r1, history.getEvents(0).getKv().getModRevision());
      long r3 = client.put("h", "3").getHeader().getRevision();
      WatchResponse live = s.next(WAIT);
      assertEquals(r3, live.getEvents(0).getKv().getModRevision());
    }
  }

  @Test
  void progressNotifyAndProgressRequest() throws Exception {
    try (WatchStreamClient s = stream()) {
      s.create(watch("quiet").setProgressNotify(true).build());
      long id = s.next(WAIT).getWatchId();
      long rev = client.put("noise", "x").getHeader().getRevision();
      // Ticks every 200 ms; one may come before the put: wait for one that reached it.
      WatchResponse progress;
      do {
        progress = s.next(WAIT);
        assertEquals(id, progress.getWatchId());
        assertEquals(0, progress.getEventsCount());
      } while (progress.getHeader().getRevision() < rev);
      s.requestProgress();
      WatchResponse requested;
      do {
        requested = s.next(WAIT);
      } while (requested.getWatchId() != -1);
      assertEquals(0, requested.getEventsCount());
      assertTrue(requested.getHeader().getRevision() >= rev);
    }
  }

  @Test
  void largeRevisionIsFragmentedWhenAsked() throws Exception {
    try (WatchStreamClient s = stream()) {
      // The request must stay under the 64 kB limit while the response exceeds it: the events
      // carry their previous values too.
      String value = "v".repeat(7_000);
      for (int i = 0; i < 8; i++) {
        client.put("f/" + i, value);
      }
      s.create(watch("f/").setRangeEnd(bytes("f0")).setFragment(true).setPrevKv(true).build());
      assertTrue(s.next(WAIT).getCreated());
      TxnRequest.Builder txn = TxnRequest.newBuilder();
      for (int i = 0; i < 8; i++) {
        txn.addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(bytes("f/" + i)).setValue(bytes(value))));
      }
      long rev = client.kv.txn(txn.build()).getHeader().getRevision();
      int events = 0;
      int parts = 0;
      WatchResponse part;
      do {
        part = s.next(WAIT);
        parts++;
        for (Event e : part.getEventsList()) {
          assertEquals("f/" + events, e.getKv().getKey().toStringUtf8());
          assertEquals(rev, e.getKv().getModRevision());
          events++;
        }
        assertTrue(part.getSerializedSize() < 64 * 1024 || part.getEventsCount() == 1);
      } while (part.getFragment());
      assertEquals(8, events);
      assertTrue(parts > 1, "about 112 kB over a 64 kB limit must come in several fragments");
    }
  }
}
