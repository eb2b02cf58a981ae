package io.cairn.server.compat;

import static io.cairn.server.compat.EtcdctlJson.flag;
import static io.cairn.server.compat.EtcdctlJson.keys;
import static io.cairn.server.compat.EtcdctlJson.kvs;
import static io.cairn.server.compat.EtcdctlJson.number;
import static io.cairn.server.compat.EtcdctlJson.revision;
import static io.cairn.server.compat.EtcdctlJson.text;
import static io.cairn.server.compat.EtcdctlJson.txnResponse;
import static io.cairn.server.compat.EtcdctlJson.values;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.cairn.server.embed.EmbeddedCluster;
import io.cairn.server.testing.Etcdctl;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real etcdctl (3.4, API v3) against a one-member Cairn: put/get with its options, del, txn
 * fed on stdin, compaction, endpoint status/health and member list. Assertions are on parsed
 * output ({@code -w json} where etcdctl offers it, else the lines of the simple format).
 *
 * <p>etcdctl 3.4 has no {@code get --count-only} (it came in 3.5); the count is checked through
 * the {@code count} field of {@code -w json} instead.
 */
class EtcdctlEndToEndTest {
  @TempDir static Path dir;
  private static EmbeddedCluster cairn;
  private static Etcdctl etcdctl;

  @BeforeAll
  static void startCairn() {
    cairn = EmbeddedCluster.builder(1).dataDir(dir.resolve("shared")).start();
    cairn.awaitLeader(Duration.ofSeconds(10));
    etcdctl = new Etcdctl(cairn.clientEndpoints());
  }

  @AfterAll
  static void stopCairn() {
    if (cairn != null) {
      cairn.close();
    }
  }

  private static JsonObject json(String... args) {
    String[] withJson = Arrays.copyOf(args, args.length + 2);
    withJson[args.length] = "-w";
    withJson[args.length + 1] = "json";
    return etcdctl.run(withJson).json().getAsJsonObject();
  }

  /** etcdctl put; returns the revision the put created. */
  private static long put(Etcdctl client, String key, String value) {
    String[] args = {"put", key, value, "-w", "json"};
    return revision(client.run(args).json().getAsJsonObject());
  }

  /** The non-empty lines of a simple-format output. */
  private static List<String> lines(String output) {
    return output.lines().filter(line -> !line.isEmpty()).toList();
  }

  @Test
  void getByPrefixLimitRangeEndFromKeyAndRevision() {
    long b = put(etcdctl, "get/b", "2");
    long c = put(etcdctl, "get/c", "3");
    long aCreated = put(etcdctl, "get/a", "1");
    put(etcdctl, "get0", "outside"); // '0' sorts right after '/': not under the prefix
    long aUpdated = put(etcdctl, "get/a", "1b");
    assertEquals(List.of(c, aCreated, aUpdated), List.of(b + 1, c + 1, aCreated + 2), "one revision per put");

    JsonObject all = json("get", "get/", "--prefix");
    assertEquals(List.of("get/a", "get/b", "get/c"), keys(all));
    assertEquals(List.of("1b", "2", "3"), values(all));
    assertEquals(3, number(all, "count"));
    assertFalse(flag(all, "more"));
    assertEquals(aUpdated, revision(all));
    JsonObject a = kvs(all).get(0);
    assertEquals(List.of(aCreated, aUpdated, 2L), List.of(number(a, "create_revision"), number(a, "mod_revision"),
        number(a, "version")));

    JsonObject limited = json("get", "get/", "--prefix", "--limit=2");
    assertEquals(List.of("get/a", "get/b"), keys(limited));
    assertTrue(flag(limited, "more"));
    assertEquals(3, number(limited, "count"), "count is of the whole range, not the limit");

    assertEquals(List.of("get/a", "get/b"), keys(json("get", "get/a", "get/c")), "explicit range end is exclusive");
    assertEquals(List.of("get/c", "get0"), keys(json("get", "get/c", "--from-key")).subList(0, 2));

    JsonObject atC = json("get", "get/", "--prefix", "--rev=" + c);
    assertEquals(List.of("get/b", "get/c"), keys(atC), "get/a did not exist yet at revision " + c);
    assertEquals(aUpdated, revision(atC), "the header names the current revision, not the one read at");
    assertEquals(List.of("1"), values(json("get", "get/a", "--rev=" + aCreated)));

    assertEquals(List.of("get/a", "1b", "get/b", "2", "get/c", "3"), lines(etcdctl.run("get", "get/", "--prefix").out()));
    assertEquals(List.of("1b", "2", "3"), lines(etcdctl.run("get", "get/", "--prefix", "--print-value-only").out()));
    assertEquals(List.of("get/a", "get/b", "get/c"), lines(etcdctl.run("get", "get/", "--prefix", "--keys-only").out()));
    JsonObject keysOnly = json("get", "get/", "--prefix", "--keys-only");
    assertEquals(List.of("", "", ""), values(keysOnly), "keys-only sends no values");
    assertEquals(List.of(aUpdated, b, c), kvs(keysOnly).stream().map(kv -> number(kv, "mod_revision")).toList());
    assertEquals(List.of(), lines(etcdctl.run("get", "get/missing").out()));
  }

  @Test
  void sortByEveryTargetInBothOrders() {
    put(etcdctl, "sort/a", "3");
    put(etcdctl, "sort/b", "1");
    put(etcdctl, "sort/c", "2");
    put(etcdctl, "sort/a", "5"); // versions: a=3, c=2, b=1; values: b<c<a; mod: b<c<a; create: a<b<c
    put(etcdctl, "sort/c", "2");
    put(etcdctl, "sort/a", "4");
    assertEquals(List.of("sort/b", "sort/c", "sort/a"), sorted("MODIFY", "ASCEND"));
    assertEquals(List.of("sort/a", "sort/c", "sort/b"), sorted("MODIFY", "DESCEND"));
    assertEquals(List.of("sort/c", "sort/b", "sort/a"), sorted("CREATE", "DESCEND"));
    assertEquals(List.of("sort/a", "sort/b", "sort/c"), sorted("CREATE", "ASCEND"));
    assertEquals(List.of("sort/b", "sort/c", "sort/a"), sorted("VALUE", "ASCEND"));
    assertEquals(List.of("sort/a", "sort/c", "sort/b"), sorted("VERSION", "DESCEND"));
    assertEquals(List.of("sort/c", "sort/b", "sort/a"), sorted("KEY", "DESCEND"));
    assertEquals(List.of("sort/a", "sort/b", "sort/c"), sorted("KEY", "ASCEND"));
    // A limit applies after sorting: the top one by modification, newest first.
    assertEquals(List.of("sort/a"), keys(json("get", "sort/", "--prefix", "--sort-by=MODIFY", "--order=DESCEND",
        "--limit=1")));
  }

  private static List<String> sorted(String target, String order) {
    return keys(json("get", "sort/", "--prefix", "--sort-by=" + target, "--order=" + order));
  }

  @Test
  void deleteByPrefixWithPreviousValues() {
    put(etcdctl, "del/1", "one");
    put(etcdctl, "del/2", "two");
    put(etcdctl, "del/3", "three");
    put(etcdctl, "del0", "outside");
    assertEquals(List.of("3", "del/1", "one", "del/2", "two", "del/3", "three"),
        lines(etcdctl.run("del", "del/", "--prefix", "--prev-kv").out()));
    JsonObject after = json("get", "del/", "--prefix");
    assertEquals(List.of(), keys(after));
    assertEquals(0, number(after, "count"));
    assertEquals(List.of("outside"), values(json("get", "del0")));

    JsonObject single = json("del", "del0");
    assertEquals(1, number(single, "deleted"));
    JsonObject none = json("del", "del0");
    assertEquals(0, number(none, "deleted"), "nothing left to delete");
    assertEquals(revision(single), revision(none), "a delete of nothing does not move the revision");
  }

  @Test
  void txnReadFromStdinTakesTheBranchItsComparesChoose() {
    long created = put(etcdctl, "txn/k", "v1");
    put(etcdctl, "txn/other", "x");
    String bothHold = String.join("\n",
        "value(\"txn/k\") = \"v1\"",
        "mod(\"txn/k\") = \"" + created + "\"",
        "ver(\"txn/k\") < \"2\"",
        "c(\"txn/missing\") = \"0\"",
        "",
        "put txn/k \"v2\"",
        "get txn/k",
        "del txn/other",
        "",
        "put txn/k \"never\"",
        "", "");
    JsonObject success = etcdctl.runWithInput(bothHold, "txn", "-w", "json").json().getAsJsonObject();
    assertTrue(flag(success, "succeeded"));
    long revision = revision(success);
    assertEquals(revision, revision(txnResponse(success, 0, "ResponsePut")));
    JsonObject read = txnResponse(success, 1, "ResponseRange");
    assertEquals(List.of("v2"), values(read), "a txn reads its own put");
    assertEquals(revision, number(kvs(read).get(0), "mod_revision"));
    assertEquals(1, number(txnResponse(success, 2, "ResponseDeleteRange"), "deleted"));

    String fails = String.join("\n",
        "value(\"txn/k\") = \"v1\"",
        "",
        "put txn/k \"never\"",
        "",
        "put txn/flag \"failed\"",
        "get txn/k",
        "", "");
    List<String> out = lines(etcdctl.runWithInput(fails, "txn").out());
    assertEquals(List.of("FAILURE", "OK", "txn/k", "v2"), out);
    assertEquals(List.of("failed"), values(json("get", "txn/flag")));
    assertEquals(List.of("v2"), values(json("get", "txn/k")));

    String duplicate = String.join("\n", "", "put txn/d \"1\"", "put txn/d \"2\"", "", "", "");
    Etcdctl.Result rejected = etcdctl.runWithInput(duplicate, "txn");
    assertNotEquals(0, rejected.exitCode());
    assertTrue(rejected.stderr().contains("etcdserver: duplicate key given in txn request"), rejected.stderr());
    assertEquals(List.of(), keys(json("get", "txn/d")), "a rejected txn changes nothing");
  }

  @Test
  void compactionMakesOlderRevisionsUnreadable() {
    // Its own member: a compaction would break the revision reads of the other tests.
    try (EmbeddedCluster own = EmbeddedCluster.builder(1).dataDir(dir.resolve("compaction")).start()) {
      own.awaitLeader(Duration.ofSeconds(10));
      Etcdctl client = new Etcdctl(own.clientEndpoints());
      long first = put(client, "c/k", "v1");
      long second = put(client, "c/k", "v2");
      long third = put(client, "c/k", "v3");

      assertEquals(List.of("compacted revision " + second), lines(client.run("compaction", String.valueOf(second)).out()));
      Etcdctl.Result old = client.run("get", "c/k", "--rev=" + first);
      assertNotEquals(0, old.exitCode());
      assertTrue(old.stderr().contains("etcdserver: mvcc: required revision has been compacted"), old.stderr());
      assertEquals(List.of("v2"), lines(client.run("get", "c/k", "--rev=" + second, "--print-value-only").out()),
          "the compaction revision itself stays readable");

      assertEquals(List.of("compacted revision " + third),
          lines(client.run("compaction", String.valueOf(third), "--physical").out()));
      assertTrue(client.run("get", "c/k", "--rev=" + second).stderr()
          .contains("etcdserver: mvcc: required revision has been compacted"));
      Etcdctl.Result again = client.run("compaction", String.valueOf(second));
      assertNotEquals(0, again.exitCode());
      assertTrue(again.stderr().contains("etcdserver: mvcc: required revision has been compacted"), again.stderr());
      Etcdctl.Result future = client.run("compaction", String.valueOf(third + 10));
      assertTrue(future.stderr().contains("etcdserver: mvcc: required revision is a future revision"), future.stderr());
      assertEquals(List.of("v3"), lines(client.run("get", "c/k", "--print-value-only").out()));
    }
  }

  @Test
  void endpointStatusHealthAndMemberList() {
    long memberId = cairn.member(0).member().memberId();
    String clientUrl = cairn.config(0).advertiseClientUrls().get(0).toString();
    String peerUrl = cairn.config(0).initialAdvertisePeerUrls().get(0).toString();

    JsonObject entry = etcdctl.run("endpoint", "status", "-w", "json").json().getAsJsonArray().get(0).getAsJsonObject();
    JsonObject status = entry.getAsJsonObject("Status");
    assertTrue(status.get("version").getAsString().startsWith("3.5."), "claims etcd 3.5: " + status);
    assertEquals(memberId, number(status.getAsJsonObject("header"), "member_id"));
    assertEquals(memberId, number(status, "leader"), "a single member leads itself");
    assertTrue(number(status, "raftIndex") > 0, status.toString());
    assertTrue(number(status, "raftTerm") > 0, status.toString());
    assertTrue(number(status, "dbSize") > 0, status.toString());

    JsonObject health = etcdctl.run("endpoint", "health", "-w", "json").json().getAsJsonArray().get(0).getAsJsonObject();
    assertTrue(health.get("health").getAsBoolean(), health.toString());

    JsonObject members = etcdctl.run("member", "list", "-w", "json").json().getAsJsonObject();
    assertEquals(1, members.getAsJsonArray("members").size());
    JsonObject member = members.getAsJsonArray("members").get(0).getAsJsonObject();
    assertEquals(memberId, number(member, "ID"));
    assertEquals("m0", member.get("name").getAsString());
    assertEquals(clientUrl, member.getAsJsonArray("clientURLs").get(0).getAsString());
    assertEquals(peerUrl, member.getAsJsonArray("peerURLs").get(0).getAsString());
    assertEquals(number(status.getAsJsonObject("header"), "cluster_id"),
        number(members.getAsJsonObject("header"), "cluster_id"));

    // The simple format: "id, status, name, peer urls, client urls, is learner".
    List<String> row = Arrays.stream(etcdctl.run("member", "list").out().strip().split(",")).map(String::strip).toList();
    assertEquals(List.of(Long.toHexString(memberId), "started", "m0", peerUrl, clientUrl, "false"), row);
  }
}
