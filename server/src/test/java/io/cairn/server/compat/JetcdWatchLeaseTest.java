package io.cairn.server.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.server.embed.EmbeddedCluster;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.lease.LeaseTimeToLiveResponse;
import io.etcd.jetcd.options.LeaseOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** jetcd's Watch and Lease clients against a 3-member Cairn. */
class JetcdWatchLeaseTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  @TempDir static Path dir;
  static EmbeddedCluster cairn;
  static Client client;

  @BeforeAll
  static void start() {
    cairn = EmbeddedCluster.builder(3).dataDir(dir).start();
    cairn.awaitLeader(WAIT);
    client = Client.builder().endpoints(cairn.clientEndpoints().split(",")).build();
  }

  @AfterAll
  static void stop() {
    client.close();
    cairn.close();
  }

  private static ByteSequence b(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }

  private static <T> T get(CompletableFuture<T> f) throws Exception {
    return f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  @Test
  void prefixWatchFromRevisionWithPrevKv() throws Exception {
    long first = get(client.getKVClient().put(b("j/1"), b("a"))).getHeader().getRevision();
    get(client.getKVClient().put(b("j/1"), b("b")));
    get(client.getKVClient().delete(b("j/1")));
    LinkedBlockingQueue<WatchEvent> events = new LinkedBlockingQueue<>();
    try (Watch.Watcher watcher = client.getWatchClient().watch(b("j/"),
        WatchOption.builder().isPrefix(true).withPrevKV(true).withRevision(first).build(),
        (WatchResponse r) -> events.addAll(r.getEvents()))) {
      WatchEvent put1 = events.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      WatchEvent put2 = events.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      WatchEvent delete = events.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      assertEquals(WatchEvent.EventType.PUT, put1.getEventType());
      assertEquals(first, put1.getKeyValue().getModRevision());
      assertEquals("a", put2.getPrevKV().getValue().toString(StandardCharsets.UTF_8));
      assertEquals(WatchEvent.EventType.DELETE, delete.getEventType());
      assertEquals("b", delete.getPrevKV().getValue().toString(StandardCharsets.UTF_8));
      long live = get(client.getKVClient().put(b("j/2"), b("c"))).getHeader().getRevision();
      assertEquals(live, events.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS).getKeyValue().getModRevision());
    }
  }

  @Test
  void watchFromCompactedRevisionReportsCompaction() throws Exception {
    long old = get(client.getKVClient().put(b("jc"), b("1"))).getHeader().getRevision();
    long now = get(client.getKVClient().put(b("jc"), b("2"))).getHeader().getRevision();
    get(client.getKVClient().compact(now));
    CompletableFuture<Throwable> error = new CompletableFuture<>();
    try (Watch.Watcher watcher = client.getWatchClient().watch(b("jc"), WatchOption.builder().withRevision(old).build(),
        Watch.listener(r -> { }, error::complete))) {
      Throwable t = error.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertTrue(String.valueOf(t.getMessage()).contains("compacted"), String.valueOf(t));
    }
  }

  @Test
  void leaseGrantAttachKeepAliveTimeToLiveRevoke() throws Exception {
    long id = get(client.getLeaseClient().grant(30)).getID();
    get(client.getKVClient().put(b("jl/a"), b("x"), PutOption.builder().withLeaseId(id).build()));
    LeaseTimeToLiveResponse ttl = get(client.getLeaseClient().timeToLive(id, LeaseOption.builder().withAttachedKeys().build()));
    assertEquals(30, ttl.getGrantedTTL());
    assertEquals(List.of(b("jl/a")), ttl.getKeys());
    assertEquals(30, get(client.getLeaseClient().keepAliveOnce(id)).getTTL());

    LinkedBlockingQueue<LeaseKeepAliveResponse> kept = new LinkedBlockingQueue<>();
    try (var keepAlive = client.getLeaseClient().keepAlive(id, new StreamObserver<>() {
      @Override
      public void onNext(LeaseKeepAliveResponse r) {
        kept.add(r);
      }

      @Override
      public void onError(Throwable t) {
      }

      @Override
      public void onCompleted() {
      }
    })) {
      LeaseKeepAliveResponse r = kept.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      assertEquals(id, r.getID());
      assertEquals(30, r.getTTL());
    }
    get(client.getLeaseClient().revoke(id));
    assertEquals(0, get(client.getKVClient().get(b("jl/a"))).getCount(), "the revoke deleted the attached key");
    LeaseTimeToLiveResponse gone = get(client.getLeaseClient().timeToLive(id, LeaseOption.DEFAULT));
    assertEquals(-1, gone.getTTL());
  }
}
