package io.cairn.server.tls;

import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.URI;

/**
 * Opens channels from this member to another member's URL: TLS for an {@code https://} URL
 * (with this side's certificate and trust), plaintext for {@code http://}. Callers add their own
 * options (message sizes, keep-alives) and build.
 */
@FunctionalInterface
public interface Dialer {
  /** Plaintext only (tests and tools that never see an {@code https://} URL). */
  Dialer PLAINTEXT = url -> NettyChannelBuilder.forAddress(url.getHost(), url.getPort()).usePlaintext();

  NettyChannelBuilder channelTo(URI url);
}
