package io.cairn.server.tls;

import io.cairn.server.config.ServerConfig;
import io.cairn.server.config.TlsSettings;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A member's transport security, from its configuration: the client side (client and metrics
 * listeners, and this member dialing another's client URL) and the peer side (peer listener, raft
 * streams, snapshots, member-to-member calls). Each side uses the key pair its flags name, or with
 * auto-TLS a self-signed pair generated under {@code <data-dir>/fixtures/client} or {@code /peer}
 * (etcd's layout; a pair already there is reused).
 */
public final class MemberTls {
  private static final Logger LOG = LoggerFactory.getLogger(MemberTls.class);

  /** Null when the side has neither a key pair nor auto-TLS. */
  private final SideTls client;
  private final SideTls peer;

  private MemberTls(SideTls client, SideTls peer) {
    this.client = client;
    this.peer = peer;
  }

  /** Dials https:// URLs of a side with no TLS flags: the JDK's CAs, no client certificate. */
  private static final class SystemTrust {
    static final SslContext CONTEXT;

    static {
      try {
        CONTEXT = GrpcSslContexts.configure(SslContextBuilder.forClient(), SslProvider.JDK).build();
      } catch (SSLException e) {
        throw new IllegalStateException("cannot make the default TLS client context", e);
      }
    }
  }

  /** No TLS anywhere (tests of components that never see an {@code https://} URL). */
  public static MemberTls none() {
    return new MemberTls(null, null);
  }

  /**
   * Loads (or, for auto-TLS, generates) both sides' key pairs and trust.
   *
   * @throws io.cairn.server.config.ConfigException when a file a flag names cannot be used
   */
  public static MemberTls open(ServerConfig config) {
    TlsFailureLog log = new TlsFailureLog();
    warnIgnored(config.clientTls(), config.listenClientUrls(), "client");
    warnIgnored(config.peerTls(), config.listenPeerUrls(), "peer");
    SideTls client = side(config.clientTls(), config.dataDir().resolve("fixtures").resolve("client"),
        hosts(config.listenClientUrls(), config.advertiseClientUrls()), log, "client");
    SideTls peer = side(config.peerTls(), config.dataDir().resolve("fixtures").resolve("peer"),
        hosts(config.listenPeerUrls(), config.initialAdvertisePeerUrls()), log, "peer");
    return new MemberTls(client, peer);
  }

  private static SideTls side(TlsSettings settings, Path fixtures, List<String> hosts, TlsFailureLog log,
      String side) {
    if (settings.hasKeyPair()) {
      if (settings.autoTls()) {
        LOG.warn("ignoring --{}auto-tls since --{}cert-file and --{}key-file are given", settings.flagPrefix(),
            settings.flagPrefix(), settings.flagPrefix());
      }
      return SideTls.open(settings, settings.certFile().get(), settings.keyFile().get(), false, log, side);
    }
    if (settings.autoTls()) {
      SelfSignedCertificates.KeyPairPaths pair = SelfSignedCertificates.ensure(fixtures, hosts,
          settings.selfSignedCertValidityYears());
      LOG.info("{} auto-TLS: serving the self-signed certificate {}", side, pair.certFile());
      return SideTls.open(settings, pair.certFile(), pair.keyFile(), true, log, side);
    }
    return null;
  }

  private static void warnIgnored(TlsSettings settings, List<URI> urls, String side) {
    for (URI url : urls) {
      if (url.getScheme().equals("http") && settings.hasKeyPair()) {
        LOG.warn("scheme is HTTP while key and cert files are present; ignoring key and cert files ({} url {})",
            side, url);
      }
    }
  }

  private static List<String> hosts(List<URI> listen, List<URI> advertise) {
    List<String> out = new ArrayList<>();
    Stream.concat(listen.stream(), advertise.stream()).forEach(u -> out.add(u.getHost()));
    return out;
  }

  /** TLS for client listeners on {@code https://} URLs. */
  public ListenerTls clientListeners() {
    return listeners(client);
  }

  /** TLS for the peer listeners on {@code https://} URLs. */
  public ListenerTls peerListeners() {
    return listeners(peer);
  }

  /** Dials other members' peer URLs with the peer certificate. */
  public Dialer peerDialer() {
    return dialer(peer);
  }

  /** Dials other members' client URLs (lease keep-alives sent on to the leader) with the client certificate. */
  public Dialer clientDialer() {
    return dialer(client);
  }

  /** For {@code https://} metrics and client HTTP listeners: the client side's TLS, if any. */
  public Optional<HttpsListenerTls> clientHttps() {
    return client == null ? Optional.empty() : Optional.of(new HttpsListenerTls(client));
  }

  private static ListenerTls listeners(SideTls side) {
    return (url, builder) -> {
      if (url.getScheme().equals("https")) {
        // ServerConfig refuses an https:// URL on a side with no key pair, so side is set here.
        builder.sslContext(side.listenerContext()).addTransportFilter(side.failedHandshakesOn(url));
      }
      return builder;
    };
  }

  private Dialer dialer(SideTls side) {
    return url -> {
      NettyChannelBuilder builder = NettyChannelBuilder.forAddress(url.getHost(), url.getPort());
      if (url.getScheme().equals("https")) {
        return builder.sslContext(side == null ? SystemTrust.CONTEXT : side.dialerContext());
      }
      return builder.usePlaintext();
    };
  }
}
