package io.cairn.storage.kv;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Parser;

/**
 * Decoding limits shared by the gRPC edge and the apply path, so that whatever the edge accepted
 * also decodes when its raft entry applies on every member.
 *
 * <p>A TxnRequest is the only recursive request in etcd's API (a RequestOp may hold a TxnRequest).
 * etcd bounds its nesting only through the op budget (each level spends its own op count from
 * {@code --max-txn-ops}), so with the default of 128 a chain of 128 nested txns is accepted and
 * the 129th level answers {@link io.cairn.api.EtcdError#TOO_MANY_OPS}. Cairn accepts the same, up to
 * {@link #MAX_TXN_DEPTH} levels whatever {@code --max-txn-ops} says: deeper requests are refused
 * with the same error by {@link TxnNesting} before anything parses them recursively (a Java parser
 * or applier that recursed 10,000 levels would overflow its stack).
 */
public final class RequestLimits {
  /** The deepest txn nesting Cairn accepts (the outermost txn is level 1). */
  public static final int MAX_TXN_DEPTH = 256;

  /**
   * Protobuf's message nesting limit for client requests and raft entries: each txn level is two
   * nested messages (TxnRequest, RequestOp), plus the log entry's wrapper and the leaf request.
   */
  public static final int PROTO_RECURSION_LIMIT = 2 * MAX_TXN_DEPTH + 8;

  private RequestLimits() {}

  /** Parses {@code bytes} with {@link #PROTO_RECURSION_LIMIT}. */
  public static <T> T parse(Parser<T> parser, byte[] bytes) throws InvalidProtocolBufferException {
    CodedInputStream in = CodedInputStream.newInstance(bytes);
    in.setRecursionLimit(PROTO_RECURSION_LIMIT);
    T message = parser.parseFrom(in);
    in.checkLastTagWas(0);
    return message;
  }
}
