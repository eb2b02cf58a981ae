package io.cairn.jepsen.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The delay proxy holds every byte for at least the configured delay, each way, and keeps the stream intact. */
class DelayProxyTest {

  private static final long SEED = 20261122L;
  private static final long DELAY_MILLIS = 150;

  @Test
  void echoThroughTheProxyTakesTwoDelaysAndReturnsTheSameBytes(@TempDir Path dir) throws Exception {
    Path delayFile = dir.resolve("delay");
    Files.writeString(delayFile, Long.toString(DELAY_MILLIS));
    InetAddress loopback = InetAddress.getLoopbackAddress();
    try (ServerSocket echo = new ServerSocket(0, 50, loopback)) {
      Thread echoer = new Thread(() -> echoOnce(echo), "echo");
      echoer.setDaemon(true);
      echoer.start();
      ServerSocket proxyServer = new ServerSocket(0, 50, loopback);
      Thread proxy = new Thread(() -> {
        try {
          DelayProxy.serve(proxyServer, loopback.getHostAddress(), echo.getLocalPort(), delayFile);
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      }, "proxy");
      proxy.setDaemon(true);
      proxy.start();
      byte[] payload = new byte[200_000];
      new SplittableRandom(SEED).nextBytes(payload);
      try (Socket client = new Socket(loopback, proxyServer.getLocalPort())) {
        long start = System.nanoTime();
        OutputStream out = client.getOutputStream();
        out.write(payload);
        out.flush();
        byte[] back = new byte[payload.length];
        new DataInputStream(client.getInputStream()).readFully(back);
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
        assertArrayEquals(payload, back, "seed " + SEED);
        assertTrue(elapsedMillis >= 2 * DELAY_MILLIS, "round trip took " + elapsedMillis + " ms, less than two delays");
      } finally {
        proxyServer.close();
      }
    }
  }

  private static void echoOnce(ServerSocket server) {
    try (Socket s = server.accept(); InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
      byte[] buffer = new byte[8192];
      int n;
      while ((n = in.read(buffer)) >= 0) {
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException ignored) {
      // the test closed its side
    }
  }
}
