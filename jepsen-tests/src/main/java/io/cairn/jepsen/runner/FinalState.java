package io.cairn.jepsen.runner;

import io.cairn.api.etcdserverpb.HashKVResponse;
import io.cairn.api.etcdserverpb.StatusResponse;
import io.cairn.jepsen.cluster.Cluster;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks after healing that the members agree: every member reports the same revision and, at that
 * revision, the same HashKV (a hash of the whole key-value history up to it). Members apply at their
 * own pace, so the check retries for a while before it reports a divergence.
 */
final class FinalState {

  private static final long CONVERGE_TIMEOUT_NANOS = 30_000_000_000L;

  private FinalState() {}

  /** Problems found (empty when the members converged). */
  static List<String> check(Cluster cluster) throws InterruptedException {
    long deadline = System.nanoTime() + CONVERGE_TIMEOUT_NANOS;
    String last = "";
    while (System.nanoTime() < deadline) {
      List<Long> revisions = new ArrayList<>();
      for (int i = 1; i <= cluster.size(); i++) {
        Optional<StatusResponse> s = cluster.status(i);
        revisions.add(s.map(r -> r.getHeader().getRevision()).orElse(-1L));
      }
      if (revisions.contains(-1L) || revisions.stream().distinct().count() > 1) {
        last = "revisions differ or a member does not answer: " + revisions;
        Thread.sleep(250);
        continue;
      }
      long revision = revisions.get(0);
      List<String> hashes = new ArrayList<>();
      for (int i = 1; i <= cluster.size(); i++) {
        Optional<HashKVResponse> h = cluster.hashKv(i, revision);
        hashes.add(h.map(r -> Integer.toUnsignedString(r.getHash())).orElse("none"));
      }
      if (hashes.contains("none") || hashes.stream().distinct().count() > 1) {
        last = "at revision " + revision + " HashKV differs: " + hashes;
        Thread.sleep(250);
        continue;
      }
      return List.of();
    }
    return List.of("members did not converge within " + CONVERGE_TIMEOUT_NANOS / 1_000_000_000L + " s: " + last);
  }

  /** Members that exited on their own (crashed) at any time during the run, restarted or not. */
  static List<String> crashes(Cluster cluster) {
    List<String> crashes = new ArrayList<>();
    for (int i = 1; i <= cluster.size(); i++) {
      for (String exit : cluster.member(i).unexpectedExits()) {
        crashes.add("member " + cluster.member(i).spec().name() + " exited by itself: " + exit + " (see its log)");
      }
    }
    return crashes;
  }
}
