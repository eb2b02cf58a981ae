package io.cairn.jepsen.workload;

import io.cairn.api.etcdserverpb.KVGrpc;
import io.cairn.api.etcdserverpb.RangeRequest;
import io.cairn.api.etcdserverpb.RangeResponse;
import io.cairn.api.mvccpb.KeyValue;
import io.cairn.jepsen.client.Bytes;
import io.cairn.jepsen.client.EtcdConnection;
import io.cairn.jepsen.lock.LockKey;
import io.cairn.jepsen.lock.ResourceVersion;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Reads the resource key's complete history after a run: the current version, then the version just
 * before each version's mod_revision, back to the first; and at every version's revision, the keys
 * under the lock prefix. Needs an uncompacted store (nothing compacts during a run).
 */
final class ResourceReadBack {

  private static final long READ_TIMEOUT_MILLIS = 30_000;

  private ResourceReadBack() {}

  /** The resource's versions, oldest first, each with the lock prefix's keys at its revision. */
  static List<ResourceVersion> read(EtcdConnection reader, String resource, String lockPrefix) {
    List<ResourceVersion> versions = new ArrayList<>();
    KeyValue kv = latest(reader.kv(READ_TIMEOUT_MILLIS), resource, 0);
    while (kv != null) {
      long revision = kv.getModRevision();
      RangeResponse locks = reader.kv(READ_TIMEOUT_MILLIS).range(RangeRequest.newBuilder().setKey(Bytes.of(lockPrefix))
          .setRangeEnd(Bytes.prefixEnd(lockPrefix)).setRevision(revision).build());
      List<LockKey> lockKeys = locks.getKvsList().stream().map(k -> new LockKey(k.getKey().toStringUtf8(), k.getCreateRevision())).toList();
      versions.add(new ResourceVersion(revision, kv.getVersion(), kv.getValue().toStringUtf8(), lockKeys));
      kv = revision <= 1 ? null : latest(reader.kv(READ_TIMEOUT_MILLIS), resource, revision - 1);
    }
    Collections.reverse(versions);
    return versions;
  }

  /** The key at {@code revision} (0: now), or null when absent. */
  private static KeyValue latest(KVGrpc.KVBlockingStub kv, String key, long revision) {
    RangeResponse r = kv.range(RangeRequest.newBuilder().setKey(Bytes.of(key)).setRevision(revision).build());
    return r.getKvsCount() == 0 ? null : r.getKvs(0);
  }
}
