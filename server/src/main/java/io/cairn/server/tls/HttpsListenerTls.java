package io.cairn.server.tls;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import javax.net.ssl.SSLParameters;

/**
 * TLS for the JDK HTTP listeners ({@code https://} metrics URLs): the client side's key pair,
 * client certificate requirement, versions and cipher suites, as etcd serves its metrics.
 */
public final class HttpsListenerTls {
  private final SideTls side;

  HttpsListenerTls(SideTls side) {
    this.side = side;
  }

  public HttpsConfigurator configurator() {
    return new HttpsConfigurator(side.jdkListenerContext()) {
      @Override
      public void configure(HttpsParameters params) {
        SSLParameters parameters = getSSLContext().getDefaultSSLParameters();
        side.configure(parameters);
        params.setSSLParameters(parameters);
      }
    };
  }
}
