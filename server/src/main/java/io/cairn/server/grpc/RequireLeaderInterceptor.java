package io.cairn.server.grpc;

import io.cairn.api.EtcdError;
import io.cairn.server.member.Member;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

/**
 * etcd's "require leader" contract: a request whose metadata carries {@code hasleader: true}
 * (kube-apiserver sets it on every context) fails with "etcdserver: no leader" when this member
 * knows no leader, instead of waiting for a timeout. Applies to unary calls and streams alike.
 */
public final class RequireLeaderInterceptor implements ServerInterceptor {
  static final Metadata.Key<String> HAS_LEADER = Metadata.Key.of("hasleader", Metadata.ASCII_STRING_MARSHALLER);

  private final Member member;

  public RequireLeaderInterceptor(Member member) {
    this.member = member;
  }

  static boolean requiresLeader(Metadata headers) {
    return "true".equals(headers.get(HAS_LEADER));
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    if (requiresLeader(headers) && !member.status().hasLeader()) {
      call.close(EtcdError.NO_LEADER.toStatus(), new Metadata());
      return new ServerCall.Listener<>() { };
    }
    return next.startCall(call, headers);
  }
}
