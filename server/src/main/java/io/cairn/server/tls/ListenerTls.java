package io.cairn.server.tls;

import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.net.URI;

/** Makes a gRPC listener serve TLS when its URL is {@code https://}; {@code http://} stays plaintext. */
@FunctionalInterface
public interface ListenerTls {
  ListenerTls PLAINTEXT = (url, builder) -> builder;

  NettyServerBuilder secure(URI url, NettyServerBuilder builder);
}
