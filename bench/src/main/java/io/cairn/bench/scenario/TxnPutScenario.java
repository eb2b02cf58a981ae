package io.cairn.bench.scenario;

import com.google.protobuf.ByteString;
import io.cairn.api.etcdserverpb.Compare;
import io.cairn.api.etcdserverpb.PutRequest;
import io.cairn.api.etcdserverpb.RangeRequest;
import io.cairn.api.etcdserverpb.RequestOp;
import io.cairn.api.etcdserverpb.TxnRequest;
import io.cairn.bench.client.EtcdClients;
import io.cairn.bench.client.UnaryCallback;
import io.cairn.bench.run.Completion;
import io.cairn.bench.run.Scenario;
import io.cairn.bench.stats.StatsCollector;

/**
 * Compare-and-swap updates shaped like kube-apiserver's GuaranteedUpdate: one Txn per update,
 * {@code If(mod_revision(key) == cached) Then Put Else Range}.
 *
 * <p>Like the apiserver's watch cache, the scenario remembers the last mod_revision it saw of each
 * key (a shared {@link RevisionCache}); an unknown key is assumed absent (revision 0). A failed
 * compare is a conflict: it is counted under {@value #CONFLICTS} and the Range in the Else branch
 * refreshes the cache, exactly what the apiserver does before it retries.
 */
public final class TxnPutScenario implements Scenario {
  /** Counter of compare failures. */
  public static final String CONFLICTS = "conflicts";

  private final EtcdClients clients;
  private final KeySpace keys;
  private final ByteString value;
  private final RevisionCache revisions = new RevisionCache();
  private StatsCollector stats;

  public TxnPutScenario(EtcdClients clients, KeySpace keys, int valueSize) {
    this.clients = clients;
    this.keys = keys;
    this.value = Values.filler(valueSize);
  }

  @Override
  public String name() {
    return "txn-put";
  }

  @Override
  public void prepare(StatsCollector stats) {
    this.stats = stats;
  }

  @Override
  public void issue(int client, Completion done) {
    ByteString key = keys.next(client);
    clients.kv(client).txn(
        casUpdate(key, revisions.get(key), value),
        new UnaryCallback<>(done, response -> revisions.learn(key, response, stats)));
  }

  /** The apiserver-style conditional update of {@code key} expected at {@code revision}. */
  static TxnRequest casUpdate(ByteString key, long revision, ByteString value) {
    return TxnRequest.newBuilder()
        .addCompare(Compare.newBuilder()
            .setKey(key)
            .setTarget(Compare.CompareTarget.MOD)
            .setResult(Compare.CompareResult.EQUAL)
            .setModRevision(revision))
        .addSuccess(RequestOp.newBuilder()
            .setRequestPut(PutRequest.newBuilder().setKey(key).setValue(value)))
        .addFailure(RequestOp.newBuilder()
            .setRequestRange(RangeRequest.newBuilder().setKey(key)))
        .build();
  }
}
