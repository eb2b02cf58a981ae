package io.cairn.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.server.embed.LoopbackPorts;
import io.cairn.server.testing.Await;
import io.cairn.server.testing.Etcdctl;
import io.cairn.server.testing.ProcessCluster;
import io.cairn.server.testing.ServerProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The documented procedure with real processes and the real etcdctl: {@code member add} (as a
 * learner), start the new member with the ETCD_* variables etcdctl printed, {@code member promote}
 * it, then {@code member remove} an original member, whose process exits.
 */
class EtcdctlMembershipTest {
  private static final Duration START = Duration.ofSeconds(60);
  private static final Pattern VARIABLE = Pattern.compile("^(ETCD_[A-Z_]+)=\"(.*)\"$", Pattern.MULTILINE);
  /** etcdctl prints the ids with {@code %16x}: an id with leading zero digits is padded with spaces. */
  private static final Pattern ADDED = Pattern.compile("Member +([0-9a-f]+) added to cluster +([0-9a-f]+)");

  @TempDir Path dir;

  @Test
  void memberAddJoinPromoteAndRemoveWithEtcdctl() {
    try (ProcessCluster cluster = ProcessCluster.start(3, dir, START)) {
      String endpoints = "http://" + cluster.member(0).endpoint() + ",http://" + cluster.member(1).endpoint()
          + ",http://" + cluster.member(2).endpoint();
      Etcdctl all = new Etcdctl(endpoints);
      assertEquals("OK", all.run("put", "before-join", "1").out().trim());

      int[] ports = LoopbackPorts.take(2);
      String out = all.run("member", "add", "p3", "--learner", "--peer-urls=http://127.0.0.1:" + ports[1]).out();
      Matcher added = ADDED.matcher(out);
      assertTrue(added.find(), out);
      String newId = added.group(1);
      Map<String, String> env = new LinkedHashMap<>();
      Matcher m = VARIABLE.matcher(out);
      while (m.find()) {
        env.put(m.group(1), m.group(2));
      }
      assertEquals("p3", env.get("ETCD_NAME"), out);
      assertEquals("existing", env.get("ETCD_INITIAL_CLUSTER_STATE"), out);
      assertEquals("http://127.0.0.1:" + ports[1], env.get("ETCD_INITIAL_ADVERTISE_PEER_URLS"), out);
      String list = all.run("member", "list").out();
      assertTrue(list.contains(newId + ", unstarted, , http://127.0.0.1:" + ports[1] + ", , true"), list);

      try (ServerProcess joiner = ServerProcess.cairnJoiner(dir.resolve("p3"), ports[0], ports[1], env)) {
        try {
          joinPromoteAndRemove(cluster, joiner, all, newId, ports);
        } catch (AssertionError | RuntimeException e) {
          throw new AssertionError(e.getMessage() + "\n" + cluster.logTails(80) + "==== joiner\n"
              + tail(joiner.log(), 80), e);
        }
      }
    }
  }

  /** Starts the joiner, promotes it, then removes an original member. */
  private static void joinPromoteAndRemove(ProcessCluster cluster, ServerProcess joiner, Etcdctl all, String newId,
      int[] ports) {
    joiner.start(START);
    // The learner is promoted once its log is in sync; until then etcdctl reports etcd's refusal.
    String[] last = {""};
    Await.until(START, () -> {
      Etcdctl.Result r = all.run("member", "promote", newId);
      last[0] = r.stderr() + r.stdout();
      assertTrue(r.exitCode() == 0 || last[0].contains("can only promote a learner member which is in sync"),
          last[0]);
      return r.exitCode() == 0;
    }, () -> "etcdctl member promote succeeded (last: " + last[0] + ")");
    String list = all.run("member", "list").out();
    assertTrue(list.contains(newId + ", started, p3, http://127.0.0.1:" + ports[1] + ", http://127.0.0.1:"
        + ports[0] + ", false"), list);

    Etcdctl onJoiner = new Etcdctl("http://" + joiner.endpoint());
    assertEquals("1", onJoiner.run("get", "before-join", "--print-value-only").out().trim());

    // Remove an original member: its process exits, the other three carry on.
    String removedId = memberIdOf(list, "p0");
    String removedOut = all.run("member", "remove", removedId).out();
    assertTrue(Pattern.compile("Member +" + removedId + " removed from cluster").matcher(removedOut).find(), removedOut);
    assertEquals(0, cluster.member(0).awaitExit(START), "the removed member's process exited with status 0");
    Etcdctl rest = new Etcdctl("http://" + cluster.member(1).endpoint() + ",http://" + cluster.member(2).endpoint()
        + ",http://" + joiner.endpoint());
    // If p0 led, the others elect a new leader first (all three must agree until they apply the
    // removal); a write sent meanwhile may time out, as on etcd. Retried until it succeeds.
    String[] lastPut = {""};
    Await.until(START, () -> {
      Etcdctl.Result r = rest.run("put", "after-remove", "2");
      lastPut[0] = r.stderr() + r.stdout();
      return r.exitCode() == 0 && r.stdout().trim().equals("OK");
    }, () -> "a write after the removal succeeded (last: " + lastPut[0] + ")");
    assertEquals("2", onJoiner.run("get", "after-remove", "--print-value-only").out().trim());
    assertEquals(3, rest.run("member", "list").out().strip().split("\n").length);
  }

  private static String tail(Path log, int lines) {
    try {
      List<String> all = Files.readAllLines(log);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  /** The hex id of the member named {@code name} in {@code etcdctl member list} output. */
  private static String memberIdOf(String list, String name) {
    for (String line : list.split("\n")) {
      String[] fields = line.split(", ");
      if (fields.length > 2 && fields[2].equals(name)) {
        return fields[0];
      }
    }
    throw new AssertionError("no member " + name + " in\n" + list);
  }
}
