package io.cairn.jepsen.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A user-space TCP proxy that delays every byte by a configurable time (the kernel here has no netem).
 * One runs in each member's namespace in front of its peer port when the {@code delay} nemesis is on:
 * the members' --initial-cluster and advertised peer URLs name the proxies, so every raft message to a
 * member passes its proxy. The delay, in milliseconds, is read from a file every 100 ms; bytes keep
 * their order (each direction is one FIFO queue).
 *
 * <p>Usage: {@code DelayProxy <listen-host> <listen-port> <target-host> <target-port> <delay-file>}.
 */
public final class DelayProxy {

  private static final int BUFFER = 64 * 1024;
  private static final byte[] END = new byte[0];

  /** Current delay in nanoseconds, refreshed from the file. */
  private static volatile long delayNanos;

  private DelayProxy() {}

  /** A chunk of bytes and when it may be forwarded ({@link System#nanoTime()}). */
  private record Chunk(long dueNanos, byte[] bytes) {}

  public static void main(String[] args) throws IOException {
    if (args.length != 5) {
      throw new IllegalArgumentException("usage: DelayProxy <listen-host> <listen-port> <target-host> <target-port> <delay-file>");
    }
    ServerSocket server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(new InetSocketAddress(args[0], Integer.parseInt(args[1])));
    serve(server, args[2], Integer.parseInt(args[3]), Path.of(args[4]));
  }

  /**
   * Accepts connections on {@code server} and relays each to the target until {@code server} is
   * closed. The delay file is read once before the first connection is accepted, then every 100 ms.
   */
  static void serve(ServerSocket server, String targetHost, int targetPort, Path delayFile) throws IOException {
    delayNanos = readDelay(delayFile);
    Thread refresher = new Thread(() -> refreshDelay(delayFile), "delay-refresh");
    refresher.setDaemon(true);
    refresher.start();
    try (server) {
      while (true) {
        Socket client;
        try {
          client = server.accept();
        } catch (java.net.SocketException closed) {
          return;
        }
        try {
          Socket upstream = new Socket(targetHost, targetPort);
          client.setTcpNoDelay(true);
          upstream.setTcpNoDelay(true);
          relay(client, upstream);
          relay(upstream, client);
        } catch (IOException targetDown) {
          client.close(); // the member is down: the connecting peer sees a reset, as it would without the proxy
        }
      }
    } finally {
      refresher.interrupt();
    }
  }

  private static long readDelay(Path file) {
    try {
      return Long.parseLong(Files.readString(file).strip()) * 1_000_000L;
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
  }

  private static void refreshDelay(Path file) {
    while (true) {
      delayNanos = readDelay(file);
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Forwards {@code from} to {@code to}, each chunk held until its due time. */
  private static void relay(Socket from, Socket to) {
    BlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
    Thread reader = new Thread(() -> {
      byte[] buffer = new byte[BUFFER];
      try (InputStream in = from.getInputStream()) {
        int n;
        while ((n = in.read(buffer)) >= 0) {
          queue.add(new Chunk(System.nanoTime() + delayNanos, Arrays.copyOf(buffer, n)));
        }
      } catch (IOException closed) {
        // the connection ended; tell the writer below
      }
      queue.add(new Chunk(System.nanoTime() + delayNanos, END));
    }, "proxy-read");
    Thread writer = new Thread(() -> {
      try {
        OutputStream out = to.getOutputStream();
        while (true) {
          Chunk c = queue.take();
          long wait = c.dueNanos() - System.nanoTime();
          if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
          }
          if (c.bytes() == END) {
            break;
          }
          out.write(c.bytes());
          out.flush();
        }
      } catch (IOException | InterruptedException e) {
        // the other side went away
      } finally {
        closeQuietly(to);
        closeQuietly(from);
      }
    }, "proxy-write");
    reader.setDaemon(true);
    writer.setDaemon(true);
    reader.start();
    writer.start();
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // closing is best effort
    }
  }
}
