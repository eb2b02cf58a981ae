package io.cairn.bench.restart;

/**
 * One restart of one member: from exec to the first linearizable Range it answered, with the
 * server's own start breakdown when it logs one (Cairn does, etcd does not: null).
 *
 * @param target the server under test, e.g. "cairn" or "etcd"
 * @param loaded whether the other members were under the put load meanwhile
 * @param servingMillis exec to the first linearizable read answered by the restarted member
 * @param loadPutsPerSecond puts per second the load achieved during the round (0 when idle)
 */
public record RestartSample(String target, boolean loaded, double servingMillis,
    StartBreakdown breakdown, double loadPutsPerSecond) {}
