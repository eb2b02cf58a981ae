package io.cairn.server.testing;

import io.cairn.server.embed.LoopbackPorts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A Cairn cluster of separate JVM processes on loopback, for kill -9 tests. */
public final class ProcessCluster implements AutoCloseable {
  private final List<ServerProcess> members;

  private ProcessCluster(List<ServerProcess> members) {
    this.members = members;
  }

  public static ProcessCluster start(int size, Path dir, Duration timeout, String... extraFlags) {
    int[] ports = LoopbackPorts.take(2 * size);
    StringBuilder initial = new StringBuilder();
    for (int i = 0; i < size; i++) {
      initial.append(i == 0 ? "" : ",").append("p").append(i).append("=http://127.0.0.1:").append(ports[2 * i + 1]);
    }
    List<ServerProcess> members = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      members.add(ServerProcess.cairnMember("p" + i, dir.resolve("p" + i), ports[2 * i], ports[2 * i + 1],
          initial.toString(), extraFlags));
    }
    ProcessCluster cluster = new ProcessCluster(members);
    members.forEach(ServerProcess::launch);
    members.forEach(m -> m.awaitServing(timeout));
    return cluster;
  }

  public ServerProcess member(int i) {
    return members.get(i);
  }

  public int size() {
    return members.size();
  }

  /** Index of the member every reachable member names as leader. */
  public int leaderIndex() {
    for (int i = 0; i < members.size(); i++) {
      if (!members.get(i).isAlive()) {
        continue;
      }
      try (EtcdClient c = new EtcdClient(members.get(i).endpoint())) {
        var status = c.status();
        if (status.getLeader() == status.getHeader().getMemberId()) {
          return i;
        }
      } catch (RuntimeException e) {
        // not answering: not the leader we can use
      }
    }
    return -1;
  }

  /** The last lines of every member's log, for a failure message. */
  public String logTails(int lines) {
    StringBuilder out = new StringBuilder();
    for (ServerProcess m : members) {
      out.append("==== ").append(m.log()).append('\n');
      try {
        List<String> all = java.nio.file.Files.readAllLines(m.log());
        all.subList(Math.max(0, all.size() - lines), all.size()).forEach(l -> out.append(l).append('\n'));
      } catch (java.io.IOException e) {
        out.append("(unreadable: ").append(e).append(")\n");
      }
    }
    return out.toString();
  }

  @Override
  public void close() {
    members.forEach(ServerProcess::kill);
  }
}
