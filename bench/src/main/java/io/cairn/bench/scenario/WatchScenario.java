package io.cairn.bench.scenario;

import com.google.protobuf.ByteString;
import io.cairn.api.etcdserverpb.PutRequest;
import io.cairn.bench.client.EtcdClients;
import io.cairn.bench.client.UnaryCallback;
import io.cairn.bench.run.Completion;
import io.cairn.bench.run.Scenario;
import io.cairn.bench.stats.StatsCollector;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Watch fan-out latency: {@code watchers} streams watch a prefix while the runner's clients put
 * under it (usually rate-limited with {@code --rate}). The headline is {@value #EVENTS}: the time
 * from a put's send to each watcher's receipt of the event, so one put yields {@code watchers}
 * samples.
 */
public final class WatchScenario implements Scenario {
  /** Series of put-to-event latencies. */
  public static final String EVENTS = "watch-events";

  private final EtcdClients clients;
  private final KeySpace keys;
  private final int watchers;
  private final int valueSize;
  /** Puts acknowledged by the server: each must reach every watcher. */
  private final AtomicLong acknowledgedPuts = new AtomicLong();
  private EventLatencyWatchers streams;

  public WatchScenario(EtcdClients clients, KeySpace keys, int watchers, int valueSize) {
    this.clients = clients;
    this.keys = keys;
    this.watchers = watchers;
    this.valueSize = valueSize;
  }

  @Override
  public String name() {
    return "watch";
  }

  @Override
  public void prepare(StatsCollector stats) throws InterruptedException {
    streams = new EventLatencyWatchers(clients, stats.series(EVENTS));
    streams.open(watchers, Keys.of(keys.prefix()), false);
  }

  @Override
  public void issue(int client, Completion done) {
    ByteString value = Values.timestamped(valueSize);
    clients.kv(client).put(
        PutRequest.newBuilder().setKey(keys.next(client)).setValue(value).build(),
        new UnaryCallback<>(done, r -> acknowledgedPuts.incrementAndGet()));
  }

  @Override
  public void drain() throws InterruptedException {
    streams.awaitEvents(acknowledgedPuts.get() * watchers, clients.timeoutNanos());
  }

  @Override
  public String headlineSeries() {
    return EVENTS;
  }

  @Override
  public void close() {
    if (streams != null) {
      streams.close();
    }
  }
}
