package io.cairn.jepsen.workload;

import io.cairn.api.etcdserverpb.RangeRequest;
import io.cairn.api.etcdserverpb.RangeResponse;
import io.cairn.jepsen.client.Bytes;
import io.cairn.jepsen.client.EtcdConnection;
import io.cairn.jepsen.history.Op;
import io.cairn.jepsen.history.OpType;
import io.cairn.jepsen.history.HistoryRecorder;

/**
 * A recorded linearizable read of one key whose value is a number (register and lease workloads): OK
 * with the value (null when the key is absent), or FAIL on any error, since a read changes nothing.
 *
 * @param ok whether the read completed OK
 * @param value the value read; null when absent or when the read failed
 */
record KeyRead(boolean ok, Long value) {

  static KeyRead perform(HistoryRecorder recorder, int process, EtcdConnection member, String key) {
    recorder.record(Op.read(process, OpType.INVOKE, key, null, System.nanoTime()));
    try {
      RangeResponse r = member.kv(Outcomes.REQUEST_TIMEOUT_MILLIS).range(RangeRequest.newBuilder().setKey(Bytes.of(key)).build());
      Long value = r.getKvsCount() == 0 ? null : Long.parseLong(r.getKvs(0).getValue().toStringUtf8());
      recorder.record(Op.read(process, OpType.OK, key, value, System.nanoTime()).withRevision(r.getHeader().getRevision()));
      return new KeyRead(true, value);
    } catch (RuntimeException e) {
      recorder.record(Op.read(process, OpType.FAIL, key, null, System.nanoTime()));
      return new KeyRead(false, null);
    }
  }
}
