package io.cairn.bench.scenario;

import com.google.protobuf.ByteString;
import io.cairn.api.etcdserverpb.LeaseGrantRequest;
import io.cairn.api.etcdserverpb.PutRequest;
import io.cairn.api.etcdserverpb.RangeRequest;
import io.cairn.api.etcdserverpb.RangeResponse;
import io.cairn.bench.client.EtcdClients;
import io.cairn.bench.client.UnaryCallback;
import io.cairn.bench.run.Completion;
import io.cairn.bench.run.Scenario;
import io.cairn.bench.stats.LatencySeries;
import io.cairn.bench.stats.StatsCollector;
import java.util.SplittableRandom;

/**
 * A mix shaped like the traffic kube-apiserver sends to etcd. Each operation is one of (weights
 * out of 100, drawn from the client's seeded random):
 *
 * <ul>
 *   <li>45 update: {@code If(mod_revision==cached) Then Put Else Range} on an existing object
 *       (GuaranteedUpdate; conflicts counted, see {@link TxnPutScenario});
 *   <li>15 create: {@code If(mod_revision==0) Then Put} of a new object;
 *   <li>20 get: linearizable Range of one object;
 *   <li>10 list: a paginated Range over the objects' prefix, {@code limit=pageSize}, every page
 *       after the first pinned to the first page's revision (the apiserver's consistent list);
 *   <li>10 event: LeaseGrant then a Put attached to the lease (how Events get their TTL).
 * </ul>
 *
 * Before the clock starts the object key space is filled and {@code watchers} streams watch all of
 * {@value #ROOT} with prev_kv (the apiserver's watch cache needs the previous value), recording
 * put-to-event latency in {@value WatchScenario#EVENTS}. Each kind also has its own latency series.
 */
public final class KubeScenario implements Scenario {
  static final String ROOT = "/registry/";
  public static final String OBJECTS = ROOT + "pods/bench/";
  private static final String CREATED = ROOT + "configmaps/bench/";
  private static final String EVENTS = ROOT + "events/bench/";

  /** Operation kinds with their weight out of 100. */
  enum Kind {
    UPDATE(45), CREATE(15), GET(20), LIST(10), EVENT(10);

    final int weight;

    Kind(int weight) {
      this.weight = weight;
    }

    static Kind draw(SplittableRandom random) {
      int r = random.nextInt(100);
      for (Kind k : values()) {
        if (r < k.weight) {
          return k;
        }
        r -= k.weight;
      }
      throw new IllegalStateException("kind weights do not add up to 100");
    }

    String seriesName() {
      return "kube-" + name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private final EtcdClients clients;
  private final KeySpace objects;
  private final int valueSize;
  private final int pageSize;
  private final int watchers;
  private final long leaseTtlSeconds;
  private final RevisionCache revisions = new RevisionCache();
  /** Objects created so far by each client; names are unique per (client, count). */
  private final long[] createdByClient;
  private StatsCollector stats;
  private EventLatencyWatchers watchStreams;

  public KubeScenario(EtcdClients clients, KeySpace objects, int clientCount, int valueSize,
      int pageSize, int watchers, long leaseTtlSeconds) {
    if (!objects.prefix().equals(OBJECTS)) {
      throw new IllegalArgumentException("kube objects must live under " + OBJECTS);
    }
    this.clients = clients;
    this.objects = objects;
    this.valueSize = valueSize;
    this.pageSize = pageSize;
    this.watchers = watchers;
    this.leaseTtlSeconds = leaseTtlSeconds;
    this.createdByClient = new long[clientCount];
  }

  @Override
  public String name() {
    return "kube";
  }

  @Override
  public void prepare(StatsCollector stats) throws InterruptedException {
    this.stats = stats;
    for (Kind k : Kind.values()) {
      stats.series(k.seriesName());
    }
    for (long i = 0; i < objects.size(); i++) {
      clients.kvBlocking(0).put(PutRequest.newBuilder()
          .setKey(objects.key(i)).setValue(Values.timestamped(valueSize)).build());
    }
    watchStreams = new EventLatencyWatchers(clients, stats.series(WatchScenario.EVENTS));
    watchStreams.open(watchers, Keys.of(ROOT), true);
  }

  @Override
  public void issue(int client, Completion runnerDone) {
    Kind kind = Kind.draw(objects.random(client));
    Completion done = new KindCompletion(runnerDone, stats.series(kind.seriesName()));
    switch (kind) {
      case UPDATE -> update(client, done);
      case CREATE -> create(client, done);
      case GET -> clients.kv(client).range(
          RangeRequest.newBuilder().setKey(objects.next(client)).build(),
          UnaryCallback.completing(done));
      case LIST -> listPage(client, Keys.of(OBJECTS), 0, done);
      case EVENT -> leasedEvent(client, done);
      default -> throw new IllegalStateException("unhandled kind " + kind);
    }
  }

  private void update(int client, Completion done) {
    ByteString key = objects.next(client);
    clients.kv(client).txn(
        TxnPutScenario.casUpdate(key, revisions.get(key), Values.timestamped(valueSize)),
        new UnaryCallback<>(done, response -> revisions.learn(key, response, stats)));
  }

  private void create(int client, Completion done) {
    ByteString key = Keys.of(CREATED + "c" + client + "-" + createdByClient[client]++);
    clients.kv(client).txn(
        TxnPutScenario.casUpdate(key, 0, Values.timestamped(valueSize)),
        new UnaryCallback<>(done, response -> {
          if (!response.getSucceeded()) {
            stats.increment("create-conflicts");
          }
        }));
  }

  /** Requests one page; the callback requests the next page or completes the list. */
  private void listPage(int client, ByteString from, long revision, Completion done) {
    RangeRequest page = RangeRequest.newBuilder()
        .setKey(from)
        .setRangeEnd(Keys.prefixEnd(Keys.of(OBJECTS)))
        .setLimit(pageSize)
        .setRevision(revision)
        .build();
    clients.kv(client).range(page, UnaryCallback.chaining(done, (RangeResponse r) -> {
      if (r.getMore() && r.getKvsCount() > 0) {
        long pinned = revision != 0 ? revision : r.getHeader().getRevision();
        ByteString last = r.getKvs(r.getKvsCount() - 1).getKey();
        listPage(client, Keys.successor(last), pinned, done);
      } else {
        done.succeeded();
      }
    }));
  }

  private void leasedEvent(int client, Completion done) {
    ByteString key = Keys.of(EVENTS + "e" + client + "-" + createdByClient[client]++);
    clients.lease(client).leaseGrant(
        LeaseGrantRequest.newBuilder().setTTL(leaseTtlSeconds).build(),
        UnaryCallback.chaining(done, granted -> clients.kv(client).put(
            PutRequest.newBuilder()
                .setKey(key)
                .setValue(Values.timestamped(valueSize))
                .setLease(granted.getID())
                .build(),
            UnaryCallback.completing(done))));
  }

  @Override
  public void close() {
    if (watchStreams != null) {
      watchStreams.close();
    }
  }

  /** Records the operation in its kind's series as well as in the runner's. */
  private static final class KindCompletion implements Completion {
    private final Completion runnerDone;
    private final LatencySeries kindSeries;

    KindCompletion(Completion runnerDone, LatencySeries kindSeries) {
      this.runnerDone = runnerDone;
      this.kindSeries = kindSeries;
    }

    @Override
    public long startNanos() {
      return runnerDone.startNanos();
    }

    @Override
    public void succeeded() {
      kindSeries.recordSuccess(System.nanoTime() - runnerDone.startNanos());
      runnerDone.succeeded();
    }

    @Override
    public void failed(Throwable failure) {
      kindSeries.recordError(failure);
      runnerDone.failed(failure);
    }
  }
}
