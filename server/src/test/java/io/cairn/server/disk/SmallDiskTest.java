package io.cairn.server.disk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.server.CairnServer;
import io.cairn.server.testing.EtcdClient;
import io.cairn.server.testing.SingleMember;
import io.cairn.server.testing.TmpfsVolume;
import io.cairn.storage.disk.FreeSpace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A member on a real 64 MiB volume (a size-limited tmpfs; root only, see {@link TmpfsVolume}):
 * it starts with WAL segments sized to the volume and serves puts, and when the disk does fill up
 * it stops with a message naming the directories, and after the volume is grown it restarts with
 * every acknowledged write.
 */
class SmallDiskTest {
  private static final long MIB = 1L << 20;

  @TempDir Path dir;

  @Test
  void aMemberStartsAndServesPutsOnASixtyFourMibVolume() throws Exception {
    try (TmpfsVolume volume = TmpfsVolume.mount(dir.resolve("vol"), 64 * MIB)) {
      SingleMember solo = new SingleMember(volume.path().resolve("data"), 64 * MIB);
      try (CairnServer server = solo.start(FreeSpace.SYSTEM, (what, cause) -> { });
          EtcdClient client = new EtcdClient(solo.endpoint())) {
        assertEquals(8 * MIB, server.config().walSegmentBytes());
        String value = "v".repeat(1024);
        for (int i = 0; i < 2_000; i++) {
          client.put("key/" + i, value + i);
        }
        assertEquals(value + 1999, client.get("key/1999").getKvs(0).getValue().toStringUtf8());
        try (Stream<Path> files = Files.list(server.config().walDir())) {
          assertTrue(files.allMatch(f -> sizeOf(f) == 8 * MIB), "every segment is preallocated to 8 MiB");
        }
      }
    }
  }

  @Test
  void aFullDiskStopsTheMemberAndAfterGrowingTheVolumeEveryAcknowledgedPutIsThere() throws Exception {
    try (TmpfsVolume volume = TmpfsVolume.mount(dir.resolve("vol"), 64 * MIB)) {
      SingleMember solo = new SingleMember(volume.path().resolve("data"), 64 * MIB);
      // Once started, the probe pretends the disk is roomy, so the NOSPACE alarm does not stop new
      // data first and the disk really fills up.
      AtomicBoolean pretendRoomy = new AtomicBoolean();
      FreeSpace probe = path -> pretendRoomy.get() ? 1L << 40 : FreeSpace.SYSTEM.usableBytes(path);
      CompletableFuture<String> fatal = new CompletableFuture<>();
      CompletableFuture<Void> stopped = new CompletableFuture<>();
      AtomicReference<CairnServer> running = new AtomicReference<>();
      CairnServer server = solo.start(probe, (what, cause) -> {
        fatal.complete(what);
        new Thread(() -> { // as the embedded cluster does
          running.get().close();
          stopped.complete(null);
        }, "stop-after-fatal").start();
      });
      running.set(server);
      pretendRoomy.set(true);
      Map<String, String> acknowledged = new LinkedHashMap<>();
      String value = "x".repeat(64 * 1024);
      try (EtcdClient client = new EtcdClient(solo.endpoint())) {
        for (int i = 0; !fatal.isDone(); i++) {
          try {
            client.put("big/" + i, value + i);
            acknowledged.put("big/" + i, value + i);
          } catch (RuntimeException refused) {
            break; // the member stopped; this put's outcome is unknown
          }
        }
      }
      String what = fatal.get(60, TimeUnit.SECONDS);
      System.out.println("SmallDiskTest: " + acknowledged.size() + " puts of 64 KiB acknowledged, then: " + what);
      Matcher free = Pattern.compile("no space left on device \\(free: " + Pattern.quote(solo.config().walDir()
          .toString()) + " (\\d+) bytes").matcher(what);
      assertTrue(free.find(), what);
      assertTrue(Long.parseLong(free.group(1)) < 14 * MIB, "the report gives the real free space, below the reserve: " + what);
      assertTrue(acknowledged.size() > 100, "the volume held " + acknowledged.size() + " puts of 64 KiB");
      stopped.get(60, TimeUnit.SECONDS);

      volume.resize(128 * MIB);
      try (CairnServer restarted = solo.start(FreeSpace.SYSTEM, (w, cause) -> { });
          EtcdClient client = new EtcdClient(solo.endpoint())) {
        for (Map.Entry<String, String> put : acknowledged.entrySet()) {
          assertEquals(List.of(put.getValue()), client.get(put.getKey()).getKvsList().stream()
              .map(kv -> kv.getValue().toStringUtf8()).toList(), put.getKey());
        }
        client.put("after", "restart");
      }
    }
  }

  private static long sizeOf(Path file) {
    try {
      return Files.size(file);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
