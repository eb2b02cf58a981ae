package io.cairn.server.tls;

import java.net.Socket;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Accepts whatever certificate the other side shows: etcd's {@code InsecureSkipVerify}, which it
 * uses when dialing with auto-TLS certificates (every member's are self-signed, so none could be
 * verified). The connection is still encrypted. Never used when a trusted CA file is given.
 */
final class TrustAnyCertificate extends X509ExtendedTrustManager {
  static final TrustAnyCertificate INSTANCE = new TrustAnyCertificate();

  private TrustAnyCertificate() {}

  @Override public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) { }
  @Override public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) { }
  @Override public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) { }
  @Override public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) { }
  @Override public void checkClientTrusted(X509Certificate[] chain, String authType) { }
  @Override public void checkServerTrusted(X509Certificate[] chain, String authType) { }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return new X509Certificate[0];
  }
}
