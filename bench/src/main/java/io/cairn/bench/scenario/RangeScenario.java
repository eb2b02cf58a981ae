package io.cairn.bench.scenario;

import com.google.protobuf.ByteString;
import io.cairn.api.etcdserverpb.PutRequest;
import io.cairn.api.etcdserverpb.RangeRequest;
import io.cairn.bench.client.EtcdClients;
import io.cairn.bench.client.UnaryCallback;
import io.cairn.bench.run.Completion;
import io.cairn.bench.run.Scenario;
import io.cairn.bench.stats.StatsCollector;

/**
 * Reads of one key or of a prefix, linearizable (ReadIndex round through the leader) or
 * serializable (served locally by whichever member the client is connected to).
 *
 * <p>Before the clock starts it writes what it will read: the key, or {@code populate} keys under
 * the prefix, so that the benchmark measures reads of real data.
 */
public final class RangeScenario implements Scenario {
  private final EtcdClients clients;
  private final RangeRequest request;
  private final ByteString key;
  private final boolean prefix;
  private final int populate;
  private final ByteString value;

  /**
   * @param prefix whether {@code key} is a prefix to list rather than one key
   * @param limit maximum keys per response, 0 for no limit
   */
  public RangeScenario(EtcdClients clients, String key, boolean prefix, boolean serializable,
      long limit, int populate, int valueSize) {
    this.clients = clients;
    this.key = Keys.of(key);
    this.prefix = prefix;
    this.populate = populate;
    this.value = Values.filler(valueSize);
    RangeRequest.Builder b =
        RangeRequest.newBuilder().setKey(this.key).setSerializable(serializable).setLimit(limit);
    if (prefix) {
      b.setRangeEnd(Keys.prefixEnd(this.key));
    }
    this.request = b.build();
  }

  @Override
  public String name() {
    return "range";
  }

  @Override
  public void prepare(StatsCollector stats) {
    if (!prefix) {
      clients.kvBlocking(0).put(PutRequest.newBuilder().setKey(key).setValue(value).build());
      return;
    }
    KeySpace children = new KeySpace(key.toStringUtf8(), 8, Math.max(1, populate), true, 1, 0);
    for (int i = 0; i < populate; i++) {
      clients.kvBlocking(0).put(
          PutRequest.newBuilder().setKey(children.key(i)).setValue(value).build());
    }
  }

  @Override
  public void issue(int client, Completion done) {
    clients.kv(client).range(request, UnaryCallback.completing(done));
  }
}
