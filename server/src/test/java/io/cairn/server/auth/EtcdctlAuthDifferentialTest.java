package io.cairn.server.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cairn.server.testing.Etcdctl;
import io.cairn.server.testing.ServerProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same etcdctl script against real etcd 3.4 and Cairn, each with auth: root user, auth
 * enable, a role with prefix permissions, a user limited to it, reads and writes allowed and
 * denied, a denied watch, admin-only commands, a password change that invalidates the old
 * password. Every step's exit code, stdout and stderr must be identical (endpoints aside).
 */
class EtcdctlAuthDifferentialTest {
  @TempDir Path dir;

  private static final String ROOT = "--user=root:rootpw";
  private static final String ALICE = "--user=alice:alicepw";

  /** One etcdctl invocation: its arguments and what it reads on stdin. */
  private record Step(String stdin, String... args) {
    static Step of(String... args) {
      return new Step("", args);
    }
  }

  private static List<Step> script() {
    return List.of(
        Step.of("auth", "enable"),
        Step.of("user", "add", "root:rootpw"),
        Step.of("auth", "enable"),
        Step.of("put", "app/x", "1"),
        Step.of("get", "app/x"),
        Step.of("--user=root:wrong", "get", "app/x"),
        Step.of("--user=nobody:pw", "get", "app/x"),
        Step.of(ROOT, "role", "add", "app"),
        Step.of(ROOT, "role", "add", "app"),
        Step.of(ROOT, "role", "grant-permission", "app", "--prefix=true", "readwrite", "app/"),
        Step.of(ROOT, "role", "grant-permission", "app", "read", "ro/", "--prefix=true"),
        Step.of(ROOT, "role", "grant-permission", "app", "write", "wo"),
        Step.of(ROOT, "role", "get", "app"),
        Step.of(ROOT, "user", "add", "alice:alicepw"),
        Step.of(ROOT, "user", "add", "alice:again"),
        Step.of(ROOT, "user", "grant-role", "alice", "app"),
        Step.of(ROOT, "user", "grant-role", "alice", "missing"),
        Step.of(ROOT, "user", "get", "alice"),
        Step.of(ROOT, "user", "list"),
        Step.of(ROOT, "role", "list"),
        Step.of(ALICE, "put", "app/x", "1"),
        Step.of(ALICE, "get", "app/x"),
        Step.of(ALICE, "get", "app/", "--prefix"),
        Step.of(ALICE, "put", "other", "1"),
        Step.of(ALICE, "get", "other"),
        Step.of(ALICE, "get", "", "--prefix"),
        Step.of(ALICE, "get", "app/", "--from-key"),
        Step.of(ALICE, "put", "ro/x", "1"),
        Step.of(ALICE, "get", "ro/x"),
        Step.of(ALICE, "put", "wo", "1"),
        Step.of(ALICE, "get", "wo"),
        Step.of(ALICE, "put", "--prev-kv", "wo", "2"),
        Step.of(ALICE, "del", "app/", "--prefix"),
        Step.of(ALICE, "del", "other"),
        Step.of(ALICE, "watch", "other"),
        Step.of(ALICE, "watch", "--prefix", ""),
        new Step("value(\"app/x\") = \"1\"\n\nput app/y 2\n\nput app/z 3\n\n", ALICE, "txn"),
        new Step("value(\"other\") = \"1\"\n\nput app/y 2\n\nput app/z 3\n\n", ALICE, "txn"),
        new Step("\nput app/y 2\n\nput other 3\n\n", ALICE, "txn"),
        Step.of(ALICE, "user", "get", "alice"),
        Step.of(ALICE, "user", "get", "root"),
        Step.of(ALICE, "role", "get", "app"),
        Step.of(ALICE, "user", "list"),
        Step.of(ALICE, "role", "add", "x"),
        Step.of(ALICE, "auth", "disable"),
        Step.of(ALICE, "defrag"),
        new Step("newpw\n", ROOT, "user", "passwd", "alice", "--interactive=false"),
        Step.of(ALICE, "get", "app/x"),
        Step.of("--user=alice:newpw", "get", "app/x"),
        Step.of(ROOT, "user", "revoke-role", "alice", "app"),
        Step.of(ROOT, "user", "revoke-role", "alice", "app"),
        Step.of("--user=alice:newpw", "get", "app/x"),
        Step.of(ROOT, "role", "revoke-permission", "app", "wo"),
        Step.of(ROOT, "role", "revoke-permission", "app", "wo"),
        Step.of(ROOT, "user", "revoke-role", "root", "root"),
        Step.of(ROOT, "user", "delete", "root"),
        Step.of(ROOT, "role", "delete", "root"),
        Step.of(ROOT, "role", "delete", "app"),
        Step.of(ROOT, "user", "delete", "alice"),
        Step.of(ROOT, "user", "delete", "alice"),
        Step.of(ROOT, "auth", "disable"),
        Step.of("get", "app/x"),
        Step.of("user", "list"));
  }

  @Test
  void sameScriptSameOutputAsEtcd() {
    List<String> etcdOutput;
    List<String> cairnOutput;
    try (ServerProcess etcd = ServerProcess.etcd(dir.resolve("etcd"), "--bcrypt-cost", "4")
        .start(Duration.ofSeconds(30))) {
      etcdOutput = run(etcd.endpoint());
    }
    try (ServerProcess cairn = ServerProcess.cairn(dir.resolve("cairn"), "--bcrypt-cost", "4")
        .start(Duration.ofSeconds(60))) {
      cairnOutput = run(cairn.endpoint());
    }
    StringBuilder differences = new StringBuilder();
    for (int i = 0; i < etcdOutput.size(); i++) {
      if (!etcdOutput.get(i).equals(cairnOutput.get(i))) {
        differences.append("etcd:\n").append(etcdOutput.get(i)).append("\ncairn:\n").append(cairnOutput.get(i))
            .append("\n----\n");
      }
    }
    assertEquals("", differences.toString());
  }

  /** Without what differs between any two runs: the endpoint, timestamps, the client's id. */
  private static String normalized(String output, String endpoint) {
    return output.replace(endpoint, "<endpoint>")
        .replaceAll("\"ts\":\"[^\"]*\"", "\"ts\":\"<ts>\"")
        .replaceAll("client-[0-9a-f-]+", "client-<id>");
  }

  private static List<String> run(String endpoint) {
    Etcdctl etcdctl = new Etcdctl(endpoint);
    List<String> out = new ArrayList<>();
    for (Step step : script()) {
      Etcdctl.Result r = etcdctl.runWithInput(step.stdin(), step.args());
      out.add("$ etcdctl " + String.join(" ", step.args()) + "\nexit " + r.exitCode()
          + "\nstdout: " + normalized(r.stdout(), endpoint) + "\nstderr: " + normalized(r.stderr(), endpoint));
    }
    return out;
  }
}
