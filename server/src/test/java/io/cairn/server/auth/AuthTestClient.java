package io.cairn.server.auth;

import com.google.protobuf.ByteString;
import io.cairn.api.authpb.Permission;
import io.cairn.api.etcdserverpb.AuthEnableRequest;
import io.cairn.api.etcdserverpb.AuthGrpc;
import io.cairn.api.etcdserverpb.AuthRoleAddRequest;
import io.cairn.api.etcdserverpb.AuthRoleGrantPermissionRequest;
import io.cairn.api.etcdserverpb.AuthUserAddRequest;
import io.cairn.api.etcdserverpb.AuthUserGrantRoleRequest;
import io.cairn.api.etcdserverpb.AuthenticateRequest;
import io.cairn.api.etcdserverpb.KVGrpc;
import io.cairn.api.etcdserverpb.PutRequest;
import io.cairn.api.etcdserverpb.RangeRequest;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import java.util.concurrent.TimeUnit;

/** gRPC calls to one member with an auth token in the metadata, as etcd's clients send it. */
final class AuthTestClient implements AutoCloseable {
  private static final Metadata.Key<String> TOKEN = Metadata.Key.of("token", Metadata.ASCII_STRING_MARSHALLER);
  private final ManagedChannel channel;

  AuthTestClient(String endpoint) {
    channel = NettyChannelBuilder.forTarget(endpoint).usePlaintext().build();
  }

  ManagedChannel channel() {
    return channel;
  }

  <S extends AbstractStub<S>> S with(S stub, String token) {
    S timed = stub.withDeadlineAfter(20, TimeUnit.SECONDS);
    if (token == null) {
      return timed;
    }
    Metadata md = new Metadata();
    md.put(TOKEN, token);
    return timed.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md));
  }

  AuthGrpc.AuthBlockingStub auth(String token) {
    return with(AuthGrpc.newBlockingStub(channel), token);
  }

  KVGrpc.KVBlockingStub kv(String token) {
    return with(KVGrpc.newBlockingStub(channel), token);
  }

  String authenticate(String user, String password) {
    return auth(null).authenticate(AuthenticateRequest.newBuilder().setName(user).setPassword(password).build())
        .getToken();
  }

  void put(String token, String key, String value) {
    kv(token).put(PutRequest.newBuilder().setKey(bytes(key)).setValue(bytes(value)).build());
  }

  String get(String token, String key) {
    var r = kv(token).range(RangeRequest.newBuilder().setKey(bytes(key)).build());
    return r.getKvsCount() == 0 ? null : r.getKvs(0).getValue().toStringUtf8();
  }

  /** The status text of a call that fails: "CODE: description"; "OK" if it did not fail. */
  static String outcome(Runnable call) {
    try {
      call.run();
      return "OK";
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode() + ": " + e.getStatus().getDescription();
    }
  }

  /**
   * etcd's usual set-up: root (with the root role), a role {@code app} with read-write on the
   * prefix {@code app/}, a user {@code alice} with that role; auth enabled.
   */
  void setUpRootAndAlice(String rootPassword, String alicePassword) {
    AuthGrpc.AuthBlockingStub a = auth(null);
    a.userAdd(AuthUserAddRequest.newBuilder().setName("root").setPassword(rootPassword).build());
    a.userGrantRole(AuthUserGrantRoleRequest.newBuilder().setUser("root").setRole("root").build());
    a.roleAdd(AuthRoleAddRequest.newBuilder().setName("app").build());
    a.roleGrantPermission(AuthRoleGrantPermissionRequest.newBuilder().setName("app").setPerm(Permission.newBuilder()
        .setPermType(Permission.Type.READWRITE).setKey(bytes("app/")).setRangeEnd(bytes("app0"))).build());
    a.userAdd(AuthUserAddRequest.newBuilder().setName("alice").setPassword(alicePassword).build());
    a.userGrantRole(AuthUserGrantRoleRequest.newBuilder().setUser("alice").setRole("app").build());
    a.authEnable(AuthEnableRequest.getDefaultInstance());
  }

  static ByteString bytes(String s) {
    return ByteString.copyFromUtf8(s);
  }

  @Override
  public void close() {
    channel.shutdownNow();
  }
}
