package io.cairn.jepsen.workload;

import io.cairn.jepsen.history.OpType;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * How an error from the server becomes a completion type. A read that failed changed nothing, so it
 * is FAIL whatever the error. A write is FAIL only when the error proves the request was refused
 * before it could be proposed, or never left the client (no connection could be made); every other error (deadline, UNAVAILABLE after the request may have
 * been sent, "request timed out", "leader changed") is INFO: it may still take effect.
 */
public final class Outcomes {

  /** Client-side deadline of one request; past it the operation is indeterminate. */
  public static final long REQUEST_TIMEOUT_MILLIS = 3000;

  private Outcomes() {}

  public static OpType forWrite(RuntimeException error) {
    if (error instanceof StatusRuntimeException s) {
      Status.Code code = s.getStatus().getCode();
      if (code == Status.Code.INVALID_ARGUMENT || code == Status.Code.PERMISSION_DENIED
          || code == Status.Code.UNAUTHENTICATED || code == Status.Code.UNIMPLEMENTED) {
        return OpType.FAIL;
      }
      if (code == Status.Code.UNAVAILABLE && neverConnected(s)) {
        return OpType.FAIL;
      }
    }
    return OpType.INFO;
  }

  /**
   * Whether the call failed because no connection to the member could be made (refused, unreachable):
   * then the request never left the client.
   */
  private static boolean neverConnected(StatusRuntimeException e) {
    for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
      if (t instanceof java.net.ConnectException || t instanceof java.net.NoRouteToHostException) {
        return true;
      }
    }
    return false;
  }

  /** A short description of an error for logs. */
  public static String describe(Throwable error) {
    if (error instanceof StatusRuntimeException s) {
      return s.getStatus().getCode() + (s.getStatus().getDescription() == null ? "" : ": " + s.getStatus().getDescription());
    }
    return error.toString();
  }
}
