package io.cairn.server.tls;

import io.grpc.Attributes;
import io.grpc.ServerTransportFilter;
import java.net.URI;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reports the connections to a TLS listener that closed before their TLS handshake completed
 * (a plaintext client, a client without the certificate asked for, one that does not trust this
 * member's certificate, or one that hung up): one line per failure through the rate-limited
 * {@link TlsFailureLog}, never a stack trace. A failure the certificate check already explained
 * (naming the certificate and why) is not reported twice.
 *
 * <p>gRPC tells a transport filter of every accepted connection's end; one that was never ready
 * has null attributes.
 */
final class FailedHandshakes extends ServerTransportFilter {
  private final URI listener;
  private final TlsFailureLog log;
  /** Failures the certificate check logged itself and this filter is still to see end. */
  private final AtomicLong explained;

  FailedHandshakes(URI listener, TlsFailureLog log, AtomicLong explained) {
    this.listener = listener;
    this.log = log;
    this.explained = explained;
  }

  @Override
  public void transportTerminated(Attributes attributes) {
    if (attributes != null) {
      return; // it was ready: its handshake succeeded
    }
    if (explained.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      return;
    }
    log.failed("TLS handshake failed on " + listener + ": the client sent no TLS, no certificate where one is "
        + "required, refused this member's certificate, or hung up");
  }
}
