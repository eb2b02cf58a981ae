package io.cairn.raft.sim;

import io.cairn.raft.Message;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The simulated network: every message is delayed by a random number of ticks (so messages are
 * reordered), may be dropped or duplicated, and is lost when its directed link is cut at delivery
 * time (symmetric and asymmetric partitions).
 */
final class SimNetwork {
    /** A message in flight; seq breaks ties deterministically. */
    record Packet(long deliverAt, long seq, Message message) {}

    private final SplittableRandom random;
    private final List<Packet> inFlight = new ArrayList<>();
    /** Cut directed links, encoded as from * 1_000_000 + to. */
    private final Set<Long> cut = new HashSet<>();
    private long seq;
    double dropRate;
    double duplicateRate;
    int maxDelayTicks;

    SimNetwork(SplittableRandom random, double dropRate, double duplicateRate, int maxDelayTicks) {
        this.random = random;
        this.dropRate = dropRate;
        this.duplicateRate = duplicateRate;
        this.maxDelayTicks = maxDelayTicks;
    }

    /** Queues a message; returns false if the network dropped it at once. */
    boolean send(Message m, long now) {
        if (random.nextDouble() < dropRate) {
            return false;
        }
        inFlight.add(new Packet(now + random.nextInt(maxDelayTicks + 1), seq++, m));
        if (random.nextDouble() < duplicateRate) {
            inFlight.add(new Packet(now + random.nextInt(maxDelayTicks + 1), seq++, m));
        }
        return true;
    }

    /** Removes and returns a random packet due by {@code now}, or null if none is due. */
    Packet takeDue(long now) {
        int due = 0;
        for (Packet p : inFlight) {
            if (p.deliverAt() <= now) {
                due++;
            }
        }
        if (due == 0) {
            return null;
        }
        int pick = random.nextInt(due);
        for (int i = 0; i < inFlight.size(); i++) {
            Packet p = inFlight.get(i);
            if (p.deliverAt() <= now && pick-- == 0) {
                inFlight.remove(i);
                return p;
            }
        }
        throw new IllegalStateException("unreachable");
    }

    boolean isCut(long from, long to) {
        return cut.contains(from * 1_000_000 + to);
    }

    void cut(long from, long to) {
        cut.add(from * 1_000_000 + to);
    }

    /** Splits the nodes in two sides; no message crosses. */
    void partition(Set<Long> side, Set<Long> all) {
        for (long a : side) {
            for (long b : all) {
                if (!side.contains(b)) {
                    cut(a, b);
                    cut(b, a);
                }
            }
        }
    }

    void heal() {
        cut.clear();
    }

    boolean hasCuts() {
        return !cut.isEmpty();
    }

    int inFlightCount() {
        return inFlight.size();
    }
}
