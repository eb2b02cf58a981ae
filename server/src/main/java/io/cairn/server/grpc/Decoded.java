package io.cairn.server.grpc;

import io.grpc.Status;

/**
 * A client request as the gRPC edge decoded it: the message, or the status the client gets
 * instead (bytes that are not a well-formed message, a txn nested too deeply to parse).
 */
record Decoded<T>(T request, Status refusal) {
  static <T> Decoded<T> of(T request) {
    return new Decoded<>(request, null);
  }

  static <T> Decoded<T> refused(Status refusal) {
    return new Decoded<>(null, refusal);
  }

  boolean isRefused() {
    return refusal != null;
  }
}
