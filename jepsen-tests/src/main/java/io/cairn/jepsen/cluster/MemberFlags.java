package io.cairn.jepsen.cluster;

import io.cairn.api.etcdserverpb.Member;
import java.util.ArrayList;
import java.util.List;

/**
 * The flags a member removed from the cluster is started with when it is added back, as etcd documents
 * for a runtime add: the same command line except {@code --initial-cluster-state existing} and an
 * {@code --initial-cluster} naming the current members plus itself (the joining member finds the
 * cluster through the others and itself by its advertised peer URL).
 */
public final class MemberFlags {

  private MemberFlags() {}

  /** {@code command} with the values of --initial-cluster and --initial-cluster-state replaced for a join. */
  public static List<String> forJoin(List<String> command, String initialCluster) {
    return withFlag(withFlag(command, "--initial-cluster", initialCluster), "--initial-cluster-state", "existing");
  }

  /**
   * The {@code --initial-cluster} value for member {@code name} joining at {@code peerUrl}: every
   * member of {@code members} as {@code name=peerURL} (one entry per peer URL), and the joiner itself.
   * The joiner may already be in the list (after MemberAdd, unstarted and still nameless): it is
   * recognised by its peer URL and named {@code name}.
   *
   * @throws IllegalStateException when another member has no name yet (it never started): the joiner
   *     could not be told who it is
   */
  public static String initialCluster(List<Member> members, String name, String peerUrl) {
    List<String> entries = new ArrayList<>();
    for (Member m : members) {
      if (m.getPeerURLsList().contains(peerUrl)) {
        continue;
      }
      if (m.getName().isEmpty()) {
        throw new IllegalStateException("member " + Long.toHexString(m.getID()) + " " + m.getPeerURLsList()
            + " has not started yet, so --initial-cluster cannot name it");
      }
      for (String url : m.getPeerURLsList()) {
        entries.add(m.getName() + "=" + url);
      }
    }
    entries.add(name + "=" + peerUrl);
    return String.join(",", entries);
  }

  /** {@code command} with the value after {@code flag} replaced; the flag must be there exactly once. */
  static List<String> withFlag(List<String> command, String flag, String value) {
    int at = command.indexOf(flag);
    if (at < 0 || at != command.lastIndexOf(flag) || at + 1 >= command.size()) {
      throw new IllegalArgumentException("the command line must hold " + flag + " <value> exactly once: " + command);
    }
    List<String> changed = new ArrayList<>(command);
    changed.set(at + 1, value);
    return changed;
  }
}
