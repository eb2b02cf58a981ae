package io.cairn.server.auth;

import static io.cairn.server.auth.AuthTestClient.bytes;
import static io.cairn.server.auth.AuthTestClient.outcome;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cairn.api.etcdserverpb.AuthUserAddRequest;
import io.cairn.api.etcdserverpb.AuthUserChangePasswordRequest;
import io.cairn.api.etcdserverpb.AuthUserDeleteRequest;
import io.cairn.api.etcdserverpb.AuthUserGrantRoleRequest;
import io.cairn.api.etcdserverpb.CompactionRequest;
import io.cairn.api.etcdserverpb.LeaseGrantRequest;
import io.cairn.api.etcdserverpb.LeaseGrpc;
import io.cairn.api.etcdserverpb.LeaseRevokeRequest;
import io.cairn.api.etcdserverpb.PutRequest;
import io.cairn.api.etcdserverpb.WatchCreateRequest;
import io.cairn.api.etcdserverpb.WatchGrpc;
import io.cairn.api.etcdserverpb.WatchRequest;
import io.cairn.api.etcdserverpb.WatchResponse;
import io.cairn.api.authpb.UserAddOptions;
import io.cairn.server.testing.ServerProcess;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tokens at the gRPC level, against real etcd 3.4 and Cairn: a token from before a password
 * change, a garbage token, a deleted user's token, a token on a watch, a compaction and lease
 * revokes by a limited user, a no-password user. Each step's status must be identical.
 */
class TokenDifferentialTest {
  @TempDir Path dir;

  @Test
  void sameOutcomesAsEtcd() throws Exception {
    List<String> etcd;
    List<String> cairn;
    try (ServerProcess server = ServerProcess.etcd(dir.resolve("etcd"), "--bcrypt-cost", "4").start(Duration.ofSeconds(30))) {
      etcd = script(server.endpoint());
    }
    try (ServerProcess server = ServerProcess.cairn(dir.resolve("cairn"), "--bcrypt-cost", "4").start(Duration.ofSeconds(60))) {
      cairn = script(server.endpoint());
    }
    assertEquals(String.join("\n", etcd), String.join("\n", cairn));
  }

  private static List<String> script(String endpoint) throws Exception {
    List<String> out = new ArrayList<>();
    try (AuthTestClient c = new AuthTestClient(endpoint)) {
      out.add("garbage token, auth disabled: " + outcome(() -> c.get("garbage", "app/x")));
      out.add("dotted garbage, auth disabled: " + outcome(() -> c.get("abc.1", "app/x")));
      out.add("authenticate, auth disabled: " + outcome(() -> c.authenticate("root", "x")));
      c.setUpRootAndAlice("rootpw", "alicepw");
      String root = c.authenticate("root", "rootpw");
      c.auth(root).userAdd(AuthUserAddRequest.newBuilder().setName("np")
          .setOptions(UserAddOptions.newBuilder().setNoPassword(true)).build());
      out.add("no-password user authenticates: " + outcome(() -> c.authenticate("np", "")));
      out.add("no-password user with a password: " + outcome(() -> c.authenticate("np", "pw")));
      c.auth(root).userGrantRole(AuthUserGrantRoleRequest.newBuilder().setUser("np").setRole("app").build());

      String alice = c.authenticate("alice", "alicepw");
      out.add("alice put: " + outcome(() -> c.put(alice, "app/x", "1")));
      out.add("garbage token: " + outcome(() -> c.get("garbage", "app/x")));
      out.add("dotted garbage: " + outcome(() -> c.get("abc.1", "app/x")));
      out.add("garbage token on put: " + outcome(() -> c.put("garbage", "app/x", "1")));
      out.add("garbage token on authenticate: " + outcome(() ->
          c.auth("garbage").authenticate(io.cairn.api.etcdserverpb.AuthenticateRequest.newBuilder()
              .setName("alice").setPassword("alicepw").build())));
      out.add("alice compacts: " + outcome(() -> c.kv(alice).compact(CompactionRequest.newBuilder().setRevision(1).build())));
      out.add("no token compacts: " + outcome(() -> c.kv(null).compact(CompactionRequest.newBuilder().setRevision(1).build())));
      LeaseGrpc.LeaseBlockingStub aliceLease = c.with(LeaseGrpc.newBlockingStub(c.channel()), alice);
      LeaseGrpc.LeaseBlockingStub rootLease = c.with(LeaseGrpc.newBlockingStub(c.channel()), root);
      long own = aliceLease.leaseGrant(LeaseGrantRequest.newBuilder().setTTL(600).build()).getID();
      long foreign = rootLease.leaseGrant(LeaseGrantRequest.newBuilder().setTTL(600).build()).getID();
      c.kv(alice).put(PutRequest.newBuilder().setKey(bytes("app/leased")).setLease(own).build());
      c.kv(root).put(PutRequest.newBuilder().setKey(bytes("secret/leased")).setLease(foreign).build());
      out.add("alice puts on root's lease: " + outcome(() -> c.kv(alice).put(PutRequest.newBuilder()
          .setKey(bytes("app/on-foreign")).setLease(foreign).build())));
      out.add("alice revokes root's lease: " + outcome(() -> aliceLease.leaseRevoke(
          LeaseRevokeRequest.newBuilder().setID(foreign).build())));
      out.add("no token revokes: " + outcome(() -> c.with(LeaseGrpc.newBlockingStub(c.channel()), null)
          .leaseRevoke(LeaseRevokeRequest.newBuilder().setID(own).build())));
      out.add("alice revokes her lease: " + outcome(() -> aliceLease.leaseRevoke(
          LeaseRevokeRequest.newBuilder().setID(own).build())));
      out.add("watch, alice, allowed: " + watch(c, alice, "app/x"));
      out.add("watch, alice, denied: " + watch(c, alice, "secret/"));
      out.add("watch, no token: " + watch(c, null, "app/x"));
      out.add("watch, garbage token: " + watch(c, "garbage", "app/x"));

      c.auth(root).userChangePassword(AuthUserChangePasswordRequest.newBuilder().setName("alice")
          .setPassword("newpw").build());
      out.add("token from before the password change, get: " + outcome(() -> c.get(alice, "app/x")));
      out.add("... put: " + outcome(() -> c.put(alice, "app/x", "2")));
      out.add("... watch: " + watch(c, alice, "app/x"));
      out.add("old password: " + outcome(() -> c.authenticate("alice", "alicepw")));
      String renewed = c.authenticate("alice", "newpw");
      out.add("new token: " + outcome(() -> c.get(renewed, "app/x")));
      out.add("root's token after alice's change: " + outcome(() -> c.get(root, "app/x")));
      c.auth(root).userDelete(AuthUserDeleteRequest.newBuilder().setName("alice").build());
      out.add("deleted user's token: " + outcome(() -> c.get(renewed, "app/x")));
      for (int i = 0; i < 20; i++) {
        out.add("wrong password " + i + ": " + outcome(() -> c.authenticate("root", "wrong")));
      }
      out.add("root still works: " + outcome(() -> c.get(c.authenticate("root", "rootpw"), "app/x")));
    }
    return out;
  }

  /** The first answer to a watch create: created, or canceled with its reason. */
  private static String watch(AuthTestClient c, String token, String key) throws Exception {
    CompletableFuture<WatchResponse> first = new CompletableFuture<>();
    StreamObserver<WatchRequest> requests = c.with(WatchGrpc.newStub(c.channel()), token).watch(new StreamObserver<>() {
      @Override
      public void onNext(WatchResponse r) {
        first.complete(r);
      }

      @Override
      public void onError(Throwable t) {
        first.completeExceptionally(t);
      }

      @Override
      public void onCompleted() {
      }
    });
    WatchCreateRequest.Builder create = WatchCreateRequest.newBuilder().setKey(bytes(key));
    if (key.endsWith("/")) {
      create.setRangeEnd(bytes(key.substring(0, key.length() - 1) + "0"));
    }
    requests.onNext(WatchRequest.newBuilder().setCreateRequest(create).build());
    try {
      WatchResponse r = first.get(20, TimeUnit.SECONDS);
      return "created=" + r.getCreated() + " canceled=" + r.getCanceled() + " id=" + r.getWatchId()
          + " reason=" + r.getCancelReason();
    } catch (java.util.concurrent.ExecutionException e) {
      return "stream failed: " + io.grpc.Status.fromThrowable(e.getCause());
    } finally {
      requests.onCompleted();
    }
  }
}
