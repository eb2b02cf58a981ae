package io.cairn.bench.scenario;

import com.google.protobuf.ByteString;
import io.cairn.api.etcdserverpb.TxnResponse;
import io.cairn.api.mvccpb.KeyValue;
import io.cairn.bench.stats.StatsCollector;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last mod_revision seen of each key, playing the part of kube-apiserver's watch cache for
 * compare-and-swap updates. A key never seen is assumed absent (revision 0).
 */
final class RevisionCache {
  private final Map<ByteString, Long> revisions = new ConcurrentHashMap<>();

  long get(ByteString key) {
    return revisions.getOrDefault(key, 0L);
  }

  /**
   * Learns from the response of a {@link TxnPutScenario#casUpdate}: on success the put's revision
   * is the header revision; on failure the Else-branch Range tells the current one (0 if deleted).
   * A failure is counted as a conflict.
   */
  void learn(ByteString key, TxnResponse response, StatsCollector stats) {
    if (response.getSucceeded()) {
      revisions.put(key, response.getHeader().getRevision());
      return;
    }
    stats.increment(TxnPutScenario.CONFLICTS);
    if (response.getResponsesCount() != 1 || !response.getResponses(0).hasResponseRange()) {
      throw new IllegalStateException("txn failure branch did not return the Range it was given: "
          + response);
    }
    long current = 0;
    for (KeyValue kv : response.getResponses(0).getResponseRange().getKvsList()) {
      current = kv.getModRevision();
    }
    revisions.put(key, current);
  }
}
