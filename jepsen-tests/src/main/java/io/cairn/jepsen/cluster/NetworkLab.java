package io.cairn.jepsen.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The private network the members live in: one Linux network namespace per member, each with a veth
 * pair whose host end is enslaved to one bridge. The bridge holds {@value #HOST_IP} (the clients and
 * the runner stay in the host namespace and reach members through it); member {@code i} (from 1) is
 * {@code 10.77.0.(10+i)}. Partitions are iptables rules inside a member's namespace, so they cut
 * member-to-member traffic while the clients keep talking to every member.
 *
 * <p>Every name starts with {@link #PREFIX} (namespaces) or {@link #LINK_PREFIX} (links), so a
 * previous run that was killed before it could clean up is found and removed by {@link #removeStale}.
 *
 * <p>Lab number {@code N} (environment variable {@value #LAB_VARIABLE}, default 0) selects a separate
 * set of names, a separate subnet {@code 10.(77+N).0.0/24} and a separate lock, so that N runs can
 * share a machine (lab 0 keeps the names above). Runs in one lab never overlap.
 */
public final class NetworkLab implements AutoCloseable {

  /** Environment variable selecting the lab number (0-9). */
  public static final String LAB_VARIABLE = "CAIRN_JEPSEN_LAB";
  /** This process's lab number. */
  public static final int LAB = labNumber(System.getenv(LAB_VARIABLE));
  /** Namespace name prefix; namespace of member i is PREFIX + i. */
  public static final String PREFIX = LAB == 0 ? "cairn-jepsen-n" : "cairn-jepsen" + LAB + "-n";
  /** Prefix of the bridge and of the host ends of the veth pairs. */
  public static final String LINK_PREFIX = LAB == 0 ? "cjp" : "cj" + LAB + "p";
  public static final String BRIDGE = LINK_PREFIX + "br0";
  private static final String SUBNET = "10." + (77 + LAB) + ".0.";
  public static final String HOST_IP = SUBNET + "1";
  private static final int PREFIX_LENGTH = 24;

  /**
   * Held for the lab's lifetime: the names are fixed per lab, so a second run in the same lab would
   * delete this run's network (removeStale) and its clients would talk to the other run's cluster.
   */
  private static final Path LOCK_FILE = Path.of(System.getProperty("java.io.tmpdir"),
      LAB == 0 ? "cairn-jepsen-network.lock" : "cairn-jepsen-network-" + LAB + ".lock");

  /** Members' namespaces, index i-1 for member i. */
  private final List<String> namespaces = new ArrayList<>();
  private final FileChannel lockChannel;
  private final FileLock lock;
  private boolean closed;

  private NetworkLab(FileChannel lockChannel, FileLock lock) {
    this.lockChannel = lockChannel;
    this.lock = lock;
  }

  /** The address of member {@code i} (1-based). */
  public static String memberIp(int i) {
    return SUBNET + (10 + i);
  }

  static int labNumber(String value) {
    if (value == null || value.isBlank()) {
      return 0;
    }
    int lab;
    try {
      lab = Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(LAB_VARIABLE + " must be a number from 0 to 9, not '" + value + "'");
    }
    if (lab < 0 || lab > 9) {
      throw new IllegalArgumentException(LAB_VARIABLE + " must be a number from 0 to 9, not " + lab);
    }
    return lab;
  }

  /** The namespace of member {@code i} (1-based). */
  public static String namespace(int i) {
    return PREFIX + i;
  }

  /** Removes namespaces and links a previous run left behind (killed before its cleanup ran). */
  public static void removeStale() {
    for (String line : Shell.run("ip", "netns", "list").split("\n")) {
      String name = line.strip().split("\\s+")[0];
      if (name.startsWith(PREFIX)) {
        Shell.run("ip", "netns", "del", name);
      }
    }
    if (Shell.tryRun("ip", "link", "show", BRIDGE).exitCode() == 0) {
      Shell.run("ip", "link", "del", BRIDGE);
    }
    for (String line : Shell.run("ip", "-o", "link", "show").split("\n")) {
      String[] parts = line.split(":\\s+");
      if (parts.length > 1) {
        String name = parts[1].split("@")[0];
        if (name.startsWith(LINK_PREFIX)) {
          // A veth's host end vanishes on its own once its namespace is gone, possibly just now.
          Shell.tryRun("ip", "link", "del", name);
        }
      }
    }
  }

  /**
   * Creates the bridge and {@code members} namespaces, after removing anything stale.
   *
   * @throws IllegalStateException if another run on this machine holds the lab
   */
  public static NetworkLab create(int members) {
    FileChannel channel;
    FileLock lock;
    try {
      channel = FileChannel.open(LOCK_FILE, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      lock = channel.tryLock();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open " + LOCK_FILE, e);
    }
    if (lock == null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // nothing was locked
      }
      throw new IllegalStateException("another Jepsen run on this machine holds " + LOCK_FILE
          + "; runs in one lab share the namespace names and must not overlap (" + LAB_VARIABLE
          + " selects another lab)");
    }
    removeStale();
    NetworkLab lab = new NetworkLab(channel, lock);
    try {
      Shell.run("ip", "link", "add", BRIDGE, "type", "bridge");
      Shell.run("ip", "addr", "add", HOST_IP + "/" + PREFIX_LENGTH, "dev", BRIDGE);
      Shell.run("ip", "link", "set", BRIDGE, "up");
      for (int i = 1; i <= members; i++) {
        String ns = namespace(i);
        String hostEnd = LINK_PREFIX + "v" + i;
        Shell.run("ip", "netns", "add", ns);
        lab.namespaces.add(ns);
        Shell.run("ip", "link", "add", hostEnd, "type", "veth", "peer", "name", "eth0", "netns", ns);
        Shell.run("ip", "link", "set", hostEnd, "master", BRIDGE, "up");
        Shell.run("ip", "-n", ns, "addr", "add", memberIp(i) + "/" + PREFIX_LENGTH, "dev", "eth0");
        Shell.run("ip", "-n", ns, "link", "set", "eth0", "up");
        Shell.run("ip", "-n", ns, "link", "set", "lo", "up");
      }
      return lab;
    } catch (RuntimeException e) {
      lab.close();
      throw e;
    }
  }

  /** Drops every packet member {@code to} receives from member {@code from} (one direction only). */
  public void dropFrom(int to, int from) {
    Shell.run("ip", "netns", "exec", namespace(to), "iptables", "-A", "INPUT", "-s", memberIp(from), "-j", "DROP");
  }

  /** Removes every drop rule: the network is whole again. */
  public void heal() {
    for (String ns : namespaces) {
      Shell.run("ip", "netns", "exec", ns, "iptables", "-F", "INPUT");
    }
  }

  public int size() {
    return namespaces.size();
  }

  /** Deletes the namespaces and the bridge (the veth pairs go with their namespaces). Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      removeStale();
    } finally {
      try {
        lock.release();
        lockChannel.close();
      } catch (IOException ignored) {
        // the lock goes with the process anyway
      }
    }
  }
}
