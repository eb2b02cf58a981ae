package io.cairn.server.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.api.etcdserverpb.PutRequest;
import io.cairn.api.etcdserverpb.RangeRequest;
import io.cairn.api.etcdserverpb.RangeResponse;
import io.cairn.api.mvccpb.KeyValue;
import io.cairn.server.testing.EtcdClient;
import io.cairn.server.testing.ServerProcess;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash test: Cairn runs as its own OS process while a few writer threads stream puts of unique
 * keys (each thread its own connection, one request in flight at a time), and gets
 * {@code kill -9}ed after a seeded random number of acknowledged puts. After a restart on the same
 * data directory every acknowledged put must be there with its exact value at the revision its
 * answer reported, no revision may be used twice, and writes must go on at higher revisions.
 * A put in flight at the kill may or may not be there, but if it is, it is whole.
 *
 * <p>Replay a failing run with {@code -Dcairn.crash.seed=N} (the seed is printed).
 */
class KillNineRecoveryTest {
  private static final int CYCLES = 3;
  private static final int WRITERS = 3;
  private static final String PREFIX = "crash/";

  @TempDir Path dir;

  /** One acknowledged put: its value and the revision its answer reported. */
  private record Acked(String value, long revision) {}

  @Test
  void everyAcknowledgedPutSurvivesKillNine() throws Exception {
    long seed = Long.getLong("cairn.crash.seed", 20261122L);
    System.out.println("KillNineRecoveryTest seed " + seed + " (replay: -Dcairn.crash.seed=" + seed + ")");
    SplittableRandom random = new SplittableRandom(seed);
    Map<String, Acked> acked = new ConcurrentHashMap<>();
    // Every put sent, acknowledged or not: key to value.
    Map<String, String> sent = new ConcurrentHashMap<>();
    try (ServerProcess cairn = ServerProcess.cairn(dir.resolve("data"))) {
      cairn.start(Duration.ofSeconds(60));
      long revisionBefore = 1;
      for (int cycle = 0; cycle < CYCLES; cycle++) {
        int killAfter = 40 + random.nextInt(160);
        int ackedBefore = acked.size();
        long writeStart = System.nanoTime();
        writeUntilKilled(cairn, cycle, killAfter, random.nextLong(), acked, sent);
        int newAcks = acked.size() - ackedBefore;
        assertTrue(newAcks >= killAfter, "cycle " + cycle + " killed after " + newAcks + " acks, wanted " + killAfter);

        long restartStart = System.nanoTime();
        cairn.start(Duration.ofSeconds(60));
        long verifyStart = System.nanoTime();
        long revisionAfter = verify(cairn, acked, sent, "seed " + seed + " cycle " + cycle);
        assertTrue(revisionAfter >= revisionBefore, "revision went back from " + revisionBefore + " to " + revisionAfter);
        revisionBefore = revisionAfter;
        System.out.printf("cycle %d: killed after %d acks (target %d) in %d ms; restarted in %d ms at revision %d;"
            + " %d acked puts intact (checked in %d ms)%n", cycle, newAcks, killAfter,
            (restartStart - writeStart) / 1_000_000, (verifyStart - restartStart) / 1_000_000, revisionAfter,
            acked.size(), (System.nanoTime() - verifyStart) / 1_000_000);
      }
      // After the last restart, writing goes on right after the recovered revision.
      try (EtcdClient client = new EtcdClient(cairn.endpoint())) {
        assertEquals(revisionBefore + 1, client.put(PREFIX + "after", "last").getHeader().getRevision());
      }
    }
  }

  /**
   * Starts the writers, kills the server once {@code killAfter} puts of this cycle are
   * acknowledged, and waits for every writer to stop on its first failed put.
   */
  private static void writeUntilKilled(ServerProcess cairn, int cycle, int killAfter, long valueSeed,
      Map<String, Acked> acked, Map<String, String> sent) throws InterruptedException {
    CountDownLatch enoughAcks = new CountDownLatch(killAfter);
    List<Thread> writers = new ArrayList<>();
    List<Throwable> unexpected = new ArrayList<>();
    for (int w = 0; w < WRITERS; w++) {
      String keyPrefix = PREFIX + cycle + "/" + w + "/";
      String valueTag = Long.toHexString(valueSeed) + "-" + w;
      Thread writer = new Thread(() -> {
        try (EtcdClient client = new EtcdClient(cairn.endpoint())) {
          for (int n = 0; ; n++) {
            String key = keyPrefix + n;
            String value = "value-" + valueTag + "-" + n;
            sent.put(key, value);
            long revision;
            try {
              revision = client.kvWithDeadline().put(PutRequest.newBuilder()
                  .setKey(EtcdClient.bytes(key)).setValue(EtcdClient.bytes(value)).build()).getHeader().getRevision();
            } catch (StatusRuntimeException e) {
              return; // the server is gone: this put's outcome is unknown
            }
            acked.put(key, new Acked(value, revision));
            enoughAcks.countDown();
          }
        } catch (RuntimeException | Error e) {
          synchronized (unexpected) {
            unexpected.add(e);
          }
          enoughAcks.countDown();
        }
      }, "crash-writer-" + w);
      writer.start();
      writers.add(writer);
    }
    boolean reached = enoughAcks.await(120, TimeUnit.SECONDS);
    cairn.kill();
    for (Thread writer : writers) {
      writer.join(TimeUnit.SECONDS.toMillis(60));
      assertTrue(!writer.isAlive(), writer.getName() + " did not stop after the kill");
    }
    assertTrue(unexpected.isEmpty(), "writers failed: " + unexpected);
    assertTrue(reached, "fewer than " + killAfter + " puts acknowledged within 120 s");
  }

  /** Checks the restarted server against what was acknowledged and sent; returns its revision. */
  private static long verify(ServerProcess cairn, Map<String, Acked> acked, Map<String, String> sent, String context) {
    try (EtcdClient client = new EtcdClient(cairn.endpoint())) {
      RangeResponse all = client.kvWithDeadline().range(RangeRequest.newBuilder()
          .setKey(EtcdClient.bytes(PREFIX)).setRangeEnd(EtcdClient.bytes(PREFIX.substring(0, PREFIX.length() - 1) + "0"))
          .build());
      long current = all.getHeader().getRevision();
      Map<String, KeyValue> present = new HashMap<>();
      Map<Long, String> byRevision = new HashMap<>();
      for (KeyValue kv : all.getKvsList()) {
        String key = kv.getKey().toStringUtf8();
        present.put(key, kv);
        String sentValue = sent.get(key);
        assertNotNull(sentValue, context + ": key " + key + " was never written");
        assertEquals(sentValue, kv.getValue().toStringUtf8(), context + ": value of " + key);
        assertEquals(1, kv.getVersion(), context + ": version of " + key + " (written once)");
        assertEquals(kv.getCreateRevision(), kv.getModRevision(), context + ": revisions of " + key);
        String other = byRevision.put(kv.getModRevision(), key);
        assertTrue(other == null, context + ": revision " + kv.getModRevision() + " used by " + key + " and " + other);
        assertTrue(kv.getModRevision() <= current, context + ": " + key + " is above the current revision " + current);
      }
      // Only puts of fresh keys ever ran, from revision 1: every revision up to the current one is
      // one of them, so a revision whose write was lost would show as a missing key here.
      assertEquals(current - 1, all.getCount(), context + ": keys present against revisions used");
      for (Map.Entry<String, Acked> write : acked.entrySet()) {
        KeyValue kv = present.get(write.getKey());
        assertNotNull(kv, context + ": acknowledged put of " + write.getKey() + " at revision "
            + write.getValue().revision() + " is lost");
        assertEquals(write.getValue().revision(), kv.getModRevision(), context + ": revision of " + write.getKey());
      }
      // Each acknowledged put's own revision is readable and shows exactly that put there.
      for (Map.Entry<String, Acked> write : acked.entrySet()) {
        RangeResponse at = client.kvWithDeadline().range(RangeRequest.newBuilder()
            .setKey(EtcdClient.bytes(write.getKey())).setRevision(write.getValue().revision()).build());
        assertEquals(1, at.getKvsCount(), context + ": " + write.getKey() + " at its own revision");
        assertEquals(write.getValue().value(), at.getKvs(0).getValue().toStringUtf8(),
            context + ": " + write.getKey() + " at its own revision");
      }
      return current;
    }
  }
}
