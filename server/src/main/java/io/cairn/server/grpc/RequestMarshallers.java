package io.cairn.server.grpc;

import io.cairn.api.EtcdError;
import io.cairn.api.etcdserverpb.TxnRequest;
import io.cairn.storage.kv.RequestLimits;
import io.cairn.storage.kv.TxnNesting;
import io.grpc.MethodDescriptor.Marshaller;
import io.grpc.MethodDescriptor.PrototypeMarshaller;
import io.grpc.Status;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Function;

/**
 * Request marshallers that never throw: a request that does not decode becomes a {@link Decoded}
 * refusal with etcd's status, where grpc-java would otherwise answer UNKNOWN "Application error
 * processing RPC" (grpc-go, and so etcd, answers INTERNAL "grpc: error unmarshalling request").
 */
final class RequestMarshallers {
  private RequestMarshallers() {}

  /** The decoding marshaller for requests that {@code original} encodes. */
  @SuppressWarnings("unchecked")
  static <T> Marshaller<Decoded<T>> decoding(Marshaller<T> original) {
    boolean txn = original instanceof PrototypeMarshaller<T> proto && proto.getMessagePrototype() instanceof TxnRequest;
    Function<InputStream, Decoded<T>> decode = txn
        ? stream -> (Decoded<T>) decodeTxn(stream)
        : stream -> decodeWith(original, stream);
    return new Marshaller<>() {
      @Override
      public InputStream stream(Decoded<T> value) {
        return original.stream(value.request());
      }

      @Override
      public Decoded<T> parse(InputStream stream) {
        return decode.apply(stream);
      }
    };
  }

  /** grpc-go's status for a request that does not unmarshal. */
  static Status unmarshalFailure(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return Status.INTERNAL.withDescription("grpc: error unmarshalling request: " + cause.getMessage());
  }

  /** Decodes with the generated marshaller (its zero-copy paths included), catching its failure. */
  private static <T> Decoded<T> decodeWith(Marshaller<T> original, InputStream stream) {
    try {
      return Decoded.of(original.parse(stream));
    } catch (RuntimeException e) {
      return Decoded.refused(unmarshalFailure(e));
    }
  }

  /**
   * Txns are measured before they are parsed: one nested deeper than
   * {@link RequestLimits#MAX_TXN_DEPTH} is refused with etcd's "too many operations" (etcd
   * refuses it by its op budget), and the rest parse with {@link RequestLimits#PROTO_RECURSION_LIMIT},
   * the limit the apply path decodes the same request with.
   */
  private static Decoded<TxnRequest> decodeTxn(InputStream stream) {
    try {
      byte[] bytes = stream.readAllBytes();
      if (TxnNesting.depth(bytes, RequestLimits.MAX_TXN_DEPTH) > RequestLimits.MAX_TXN_DEPTH) {
        return Decoded.refused(EtcdError.TOO_MANY_OPS.toStatus());
      }
      return Decoded.of(RequestLimits.parse(TxnRequest.parser(), bytes));
    } catch (IOException e) {
      return Decoded.refused(unmarshalFailure(e));
    }
  }
}
