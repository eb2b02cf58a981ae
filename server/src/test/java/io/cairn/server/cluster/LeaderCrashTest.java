package io.cairn.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.api.etcdserverpb.HashKVRequest;
import io.cairn.api.etcdserverpb.PutRequest;
import io.cairn.api.etcdserverpb.RangeRequest;
import io.cairn.api.etcdserverpb.RangeResponse;
import io.cairn.server.testing.EtcdClient;
import io.cairn.server.testing.ProcessCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of the leader of a 3-process cluster while clients stream writes to every member: no
 * acknowledged write is lost, and after the killed member restarts all members converge on the
 * same revision and the same content hash.
 */
class LeaderCrashTest {
  private static final Duration START = Duration.ofSeconds(60);

  @TempDir Path dir;

  @Test
  void leaderKillDuringWritesLosesNoAcknowledgedWrite() throws Exception {
    try (ProcessCluster cluster = ProcessCluster.start(3, dir, START,
        "--heartbeat-interval", "50", "--election-timeout", "500")) {
      try {
        run(cluster);
      } catch (Throwable t) {
        System.err.println(cluster.logTails(40));
        throw t;
      }
    }
  }

  private void run(ProcessCluster cluster) throws Exception {
    {
      Map<String, String> acked = new ConcurrentHashMap<>();
      AtomicBoolean running = new AtomicBoolean(true);
      AtomicInteger ackCount = new AtomicInteger();
      CountDownLatch enoughBeforeKill = new CountDownLatch(200);
      List<Thread> writers = new ArrayList<>();
      for (int w = 0; w < 3; w++) {
        int writer = w;
        Thread t = new Thread(() -> {
          // Each writer talks to its own member; writes on followers are forwarded to the leader.
          EtcdClient client = new EtcdClient(cluster.member(writer).endpoint());
          try {
            for (int seq = 0; running.get(); seq++) {
              String key = "w" + writer + "/" + seq;
              String value = "v" + writer + "-" + seq;
              try {
                client.kv.withDeadlineAfter(5, TimeUnit.SECONDS).put(PutRequest.newBuilder()
                    .setKey(EtcdClient.bytes(key)).setValue(EtcdClient.bytes(value)).build());
                acked.put(key, value);
                ackCount.incrementAndGet();
                enoughBeforeKill.countDown();
              } catch (RuntimeException e) {
                // unacknowledged: may or may not have been applied
              }
            }
          } finally {
            client.close();
          }
        }, "writer-" + w);
        t.start();
        writers.add(t);
      }
      assertTrue(enoughBeforeKill.await(60, TimeUnit.SECONDS), "writes did not get going");
      int leader = cluster.leaderIndex();
      assertTrue(leader >= 0, "no leader found");
      int ackedAtKill = ackCount.get();
      cluster.member(leader).kill();
      // Writes continue on the surviving members once they elect a new leader.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (ackCount.get() < ackedAtKill + 200 && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertTrue(ackCount.get() >= ackedAtKill + 200, "the surviving members did not accept writes after the kill");
      cluster.member(leader).start(START);
      running.set(false);
      for (Thread t : writers) {
        t.join(TimeUnit.SECONDS.toMillis(30));
      }

      long revision;
      try (EtcdClient any = new EtcdClient(cluster.member((leader + 1) % 3).endpoint())) {
        revision = any.get("none").getHeader().getRevision();
      }
      Integer hash = null;
      for (int i = 0; i < 3; i++) {
        try (EtcdClient c = new EtcdClient(cluster.member(i).endpoint())) {
          RangeResponse all = c.kv.withDeadlineAfter(30, TimeUnit.SECONDS).range(RangeRequest.newBuilder()
              .setKey(EtcdClient.bytes("w")).setRangeEnd(EtcdClient.bytes("x")).build());
          Map<String, String> stored = new java.util.HashMap<>();
          all.getKvsList().forEach(kv -> stored.put(kv.getKey().toStringUtf8(), kv.getValue().toStringUtf8()));
          for (Map.Entry<String, String> e : acked.entrySet()) {
            assertEquals(e.getValue(), stored.get(e.getKey()), "acknowledged write " + e.getKey() + " on member " + i);
          }
          int h = c.maintenance.hashKV(HashKVRequest.newBuilder().setRevision(revision).build()).getHash();
          if (hash == null) {
            hash = h;
          }
          assertEquals(hash, h, "member " + i + " has a different history at revision " + revision);
        }
      }
    }
  }
}
