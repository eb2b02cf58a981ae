package io.cairn.server.watch;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

/**
 * Makes a call's {@code hasleader: true} metadata visible to a streaming service through the gRPC
 * {@link Context}: etcd ends such streams when the member loses its leader, so the service has to
 * remember which streams asked. (Refusing a call that starts without a leader is
 * {@link io.cairn.server.grpc.RequireLeaderInterceptor}'s job.)
 */
public final class LeaderRequirement implements ServerInterceptor {
  private static final Metadata.Key<String> HAS_LEADER = Metadata.Key.of("hasleader", Metadata.ASCII_STRING_MARSHALLER);
  private static final Context.Key<Boolean> REQUIRED = Context.key("cairn-requires-leader");

  /** Whether the current call asked for a leader. */
  public static boolean requiredByCurrentCall() {
    return Boolean.TRUE.equals(REQUIRED.get());
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    boolean required = "true".equals(headers.get(HAS_LEADER));
    return Contexts.interceptCall(Context.current().withValue(REQUIRED, required), call, headers, next);
  }
}
