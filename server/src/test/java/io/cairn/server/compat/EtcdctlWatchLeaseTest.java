package io.cairn.server.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.server.embed.EmbeddedCluster;
import io.cairn.server.testing.Etcdctl;
import io.cairn.server.testing.ExternalTools;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real etcdctl (3.4, API v3) end to end against a 3-member Cairn: {@code watch} running as a
 * subprocess whose output is read line by line, and {@code lease grant / put --lease / timetolive
 * --keys / keep-alive --once / list / revoke}.
 */
class EtcdctlWatchLeaseTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final Pattern GRANTED = Pattern.compile("lease ([0-9a-f]+) granted with TTL\\((\\d+)s\\)");
  @TempDir static Path dir;
  private static EmbeddedCluster cairn;
  private static Etcdctl etcdctl;

  @BeforeAll
  static void start() {
    ExternalTools.etcdctl();
    cairn = EmbeddedCluster.builder(3).dataDir(dir.resolve("cluster")).start();
    cairn.awaitLeader(WAIT);
    etcdctl = new Etcdctl(cairn.clientEndpoints());
  }

  @AfterAll
  static void stop() {
    if (cairn != null) {
      cairn.close();
    }
  }

  /** {@code etcdctl watch ...} as a running process; its stdout lines arrive in a queue. */
  private static final class WatchProcess implements AutoCloseable {
    final Process process;
    final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();

    WatchProcess(String endpoint, String... args) throws IOException {
      List<String> cmd = new ArrayList<>(List.of(ExternalTools.etcdctl().toString(), "--endpoints=" + endpoint, "watch"));
      cmd.addAll(List.of(args));
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
      pb.environment().put("ETCDCTL_API", "3");
      process = pb.start();
      Thread reader = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
          for (String line = r.readLine(); line != null; line = r.readLine()) {
            lines.add(line);
          }
        } catch (IOException ignored) {
          // the process was killed
        }
      }, "etcdctl-watch-reader");
      reader.setDaemon(true);
      reader.start();
    }

    List<String> next(int n) throws InterruptedException {
      List<String> got = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String line = lines.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (line == null) {
          throw new AssertionError("etcdctl watch printed only " + got + " within " + WAIT);
        }
        got.add(line);
      }
      return got;
    }

    @Override
    public void close() {
      process.destroy();
    }
  }

  private static String endpoint(int member) {
    return "http://" + cairn.clientEndpoint(member);
  }

  @Test
  void watchPrintsLiveAndHistoricalEventsWithPrevKv() throws Exception {
    long rev = Long.parseLong(etcdctl.run("put", "w/a", "1", "-w", "fields").out().lines()
        .filter(l -> l.startsWith("\"Revision\"")).findFirst().orElseThrow().replaceAll("\\D", ""));
    try (WatchProcess live = new WatchProcess(endpoint(1), "w/", "--prefix", "--prev-kv", "--rev=" + (rev + 1));
        WatchProcess history = new WatchProcess(endpoint(2), "w/a", "--rev=" + rev)) {
      assertEquals(List.of("PUT", "w/a", "1"), history.next(3), "history from --rev");
      etcdctl.run("put", "w/a", "2").out();
      etcdctl.run("del", "w/a").out();
      // etcdctl prints the event type, then prev_kv (key, value) when present, then the key-value.
      assertEquals(List.of("PUT", "w/a", "1", "w/a", "2", "DELETE", "w/a", "2", "w/a", ""), live.next(10));
      assertEquals(List.of("PUT", "w/a", "2", "DELETE", "w/a", ""), history.next(6));
    }
  }

  @Test
  void leaseLifecycleThroughEtcdctl() {
    Matcher granted = GRANTED.matcher(etcdctl.run("lease", "grant", "60").out());
    assertTrue(granted.find(), "grant output");
    String id = granted.group(1);
    assertEquals("60", granted.group(2));
    etcdctl.run("put", "--lease=" + id, "l/one", "x").out();
    etcdctl.run("put", "--lease=" + id, "l/two", "y").out();
    String ttl = etcdctl.run("lease", "timetolive", id, "--keys").out().trim();
    assertTrue(ttl.matches("lease " + id + " granted with TTL\\(60s\\), remaining\\((59|60)s\\), attached keys\\(\\[l/one l/two]\\)"), ttl);
    assertEquals("lease " + id + " keepalived with TTL(60)", etcdctl.run("lease", "keep-alive", "--once", id).out().trim());
    String list = etcdctl.run("lease", "list").out();
    assertTrue(list.startsWith("found ") && list.contains(id), list);
    assertEquals("lease " + id + " revoked", etcdctl.run("lease", "revoke", id).out().trim());
    assertEquals("", etcdctl.run("get", "l/", "--prefix").out().trim(), "revoke deleted the attached keys");
    assertEquals("lease " + id + " already expired", etcdctl.run("lease", "timetolive", id).out().trim());
    Etcdctl.Result missing = etcdctl.run("lease", "revoke", id);
    assertTrue(missing.exitCode() != 0 && missing.stderr().contains("requested lease not found"), missing.stderr());
    Etcdctl.Result badPut = etcdctl.run("put", "--lease=" + id, "l/three", "z");
    assertTrue(badPut.exitCode() != 0 && badPut.stderr().contains("etcdserver: requested lease not found"), badPut.stderr());
  }
}
