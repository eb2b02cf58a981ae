package io.cairn.server.grpc;

import io.cairn.api.EtcdError;
import io.cairn.api.etcdserverpb.RangeRequest;
import io.cairn.api.etcdserverpb.StatusRequest;
import io.cairn.server.member.Member;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

/**
 * etcd's rule for learners: a learner's store may lag, and it takes no part in the quorum, so it
 * serves only serializable Range and Maintenance.Status; every other request, and every stream,
 * fails with "etcdserver: rpc not supported for learner" (clients then try another endpoint).
 */
public final class LearnerGuard implements ServerInterceptor {
  private final Member member;

  public LearnerGuard(Member member) {
    this.member = member;
  }

  static boolean supportedForLearner(Object request) {
    return request instanceof StatusRequest
        || (request instanceof RangeRequest range && range.getSerializable());
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    if (!member.status().isLearner()) {
      return next.startCall(call, headers);
    }
    if (call.getMethodDescriptor().getType() != MethodDescriptor.MethodType.UNARY) {
      call.close(EtcdError.NOT_SUPPORTED_FOR_LEARNER.toStatus(), new Metadata());
      return new ServerCall.Listener<>() { };
    }
    return new ScreeningListener<>(next.startCall(call, headers), call,
        request -> !supportedForLearner(request) ? EtcdError.NOT_SUPPORTED_FOR_LEARNER : null);
  }
}

