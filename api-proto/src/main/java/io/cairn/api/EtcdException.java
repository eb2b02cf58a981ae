package io.cairn.api;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * An {@link EtcdError} raised inside the server. Unchecked, because it travels from storage and
 * apply code to the gRPC edge, where {@link #toStatusException()} turns it into what the client
 * sees. It carries no stack trace: it is an expected outcome, not a bug.
 */
public final class EtcdException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final EtcdError error;

  public EtcdException(EtcdError error) {
    super(error.message(), null, false, false);
    this.error = error;
  }

  public EtcdError error() {
    return error;
  }

  public StatusRuntimeException toStatusException() {
    return error.toStatus().asRuntimeException();
  }

  public Status toStatus() {
    return error.toStatus();
  }
}
