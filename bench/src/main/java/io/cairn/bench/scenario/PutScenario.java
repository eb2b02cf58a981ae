package io.cairn.bench.scenario;

import com.google.protobuf.ByteString;
import io.cairn.api.etcdserverpb.PutRequest;
import io.cairn.bench.client.EtcdClients;
import io.cairn.bench.client.UnaryCallback;
import io.cairn.bench.run.Completion;
import io.cairn.bench.run.Scenario;

/** Plain puts of a fixed-size value over a key space: the write path at its simplest. */
public final class PutScenario implements Scenario {
  private final EtcdClients clients;
  private final KeySpace keys;
  private final ByteString value;

  public PutScenario(EtcdClients clients, KeySpace keys, int valueSize) {
    this.clients = clients;
    this.keys = keys;
    this.value = Values.filler(valueSize);
  }

  @Override
  public String name() {
    return "put";
  }

  @Override
  public void issue(int client, Completion done) {
    PutRequest request = PutRequest.newBuilder().setKey(keys.next(client)).setValue(value).build();
    clients.kv(client).put(request, UnaryCallback.completing(done));
  }
}
