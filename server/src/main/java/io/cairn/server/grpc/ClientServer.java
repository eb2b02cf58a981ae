package io.cairn.server.grpc;

import io.cairn.api.etcdserverpb.KVGrpc;
import io.grpc.BindableService;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.cairn.server.tls.ListenerTls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The gRPC listeners on a member's client URLs, serving etcd's services. Limits follow etcd:
 * a message may be {@code --max-request-bytes} plus gRPC's overhead allowance (512 KiB); the raft
 * layer then enforces the request limit itself with etcd's "request is too large" error. Every
 * service sits behind a {@link DecodeGuard}: a request that does not decode gets etcd's status
 * and one rate-limited log line, and never reaches a handler.
 *
 * <p>KV calls run on the network thread that decoded them rather than being handed to gRPC's
 * thread pool first: a KV handler never blocks (writes are queued to the raft loop, reads are
 * passed to the read executor once their barrier passes), and on the write path every thread
 * hand-off is latency the client waits for. The other services keep gRPC's default executor.
 */
public final class ClientServer implements AutoCloseable {
  /** etcd's allowance for gRPC framing on top of {@code --max-request-bytes}. */
  static final int GRPC_OVERHEAD_BYTES = 512 * 1024;
  private static final Executor DIRECT = Runnable::run;

  private final List<Server> servers;

  private ClientServer(List<Server> servers) {
    this.servers = servers;
  }

  public static ClientServer start(List<URI> listenUrls, int maxRequestBytes, RequireLeaderInterceptor requireLeader,
      List<BindableService> services, ListenerTls tls) {
    List<Server> started = new ArrayList<>();
    ClientErrorLog errors = new ClientErrorLog();
    try {
      for (URI url : listenUrls) {
        NettyServerBuilder builder = tls.secure(url,
                NettyServerBuilder.forAddress(new InetSocketAddress(url.getHost(), url.getPort())))
            .maxInboundMessageSize(maxRequestBytes + GRPC_OVERHEAD_BYTES)
            .permitKeepAliveWithoutCalls(true)
            .permitKeepAliveTime(5, TimeUnit.SECONDS)
            .callExecutor(ClientServer::executorFor);
        for (BindableService service : services) {
          builder.addService(DecodeGuard.guard(ServerInterceptors.intercept(service, requireLeader), errors));
        }
        started.add(builder.build().start());
      }
    } catch (IOException e) {
      started.forEach(Server::shutdownNow);
      throw new UncheckedIOException("cannot listen for clients on " + listenUrls, e);
    }
    return new ClientServer(started);
  }

  /** Direct execution for the non-blocking KV service; null means gRPC's default executor. */
  private static <Q, R> Executor executorFor(ServerCall<Q, R> call, Metadata headers) {
    return KVGrpc.SERVICE_NAME.equals(call.getMethodDescriptor().getServiceName()) ? DIRECT : null;
  }

  /** Where the listeners are bound (the actual ports when a URL asked for port 0). */
  public List<InetSocketAddress> addresses() {
    List<InetSocketAddress> out = new ArrayList<>();
    for (Server s : servers) {
      s.getListenSockets().forEach(a -> out.add((InetSocketAddress) a));
    }
    return out;
  }

  @Override
  public void close() {
    servers.forEach(Server::shutdown);
    for (Server s : servers) {
      try {
        if (!s.awaitTermination(5, TimeUnit.SECONDS)) {
          s.shutdownNow();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        s.shutdownNow();
      }
    }
  }
}
