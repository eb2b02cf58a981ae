package io.cairn.server.member;

import com.google.protobuf.InvalidProtocolBufferException;
import io.cairn.server.internal.ConfChangeContext;
import io.cairn.server.internal.MemberAttributes;

/**
 * Reads the context of a membership conf change. Runtime changes carry a {@link ConfChangeContext}
 * (member, proposer, request id); the bootstrap entries written when a cluster is created carry a
 * bare {@link MemberAttributes}. Both decode to a {@link ConfChangeContext}, the bootstrap form
 * with no proposer, so the rest of the code sees one shape.
 */
final class ConfChangeContexts {
  private ConfChangeContexts() {}

  static ConfChangeContext decode(byte[] context) {
    if (context.length == 0) {
      return ConfChangeContext.getDefaultInstance();
    }
    try {
      ConfChangeContext runtime = ConfChangeContext.parseFrom(context);
      if (runtime.hasMember()) {
        return runtime;
      }
      // No field of a runtime context: a bootstrap entry's plain member attributes.
      return ConfChangeContext.newBuilder().setMember(MemberAttributes.parseFrom(context)).build();
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("conf change context is neither a ConfChangeContext nor MemberAttributes", e);
    }
  }
}
