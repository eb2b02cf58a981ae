package io.cairn.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Throughput of the core alone: propose → replicate → commit → apply through a 3-node in-memory
 * loop (MemoryStorage, synchronous delivery), for batches of 1 and 64 proposals per round.
 * Not run by default: {@code ./mvnw -pl raft test -Dtest=ThroughputBench -Dgroups=bench -Dcairn.excludedGroups=}.
 */
@Tag("bench")
class ThroughputBench {
    private static final int ENTRIES = 200_000;
    private static final byte[] PAYLOAD = new byte[128];

    @Test
    void batch1() {
        run(1);
    }

    @Test
    void batch64() {
        run(64);
    }

    private static void run(int batch) {
        measure(batch, ENTRIES / 10); // warm-up
        double perSecond = measure(batch, ENTRIES);
        System.out.printf("raft core 3-node loop, batch %d: %.0f entries/sec (%d-byte payloads)%n", batch, perSecond, PAYLOAD.length);
    }

    private static double measure(int batch, int entries) {
        TestCluster c = new TestCluster(b -> b.maxInflightMsgs(256), 1, 2, 3);
        c.elect(1);
        long appliedOnFollower = -c.member(3).appliedData().size();
        long start = System.nanoTime();
        for (int done = 0; done < entries; done += batch) {
            for (int i = 0; i < batch; i++) {
                c.node(1).propose(PAYLOAD);
            }
            c.stabilize();
            // Keep memory flat: drop applied entries and compact the logs as a server would.
            for (TestCluster.Member m : c.members.values()) {
                if (m.applied.size() > 10_000) {
                    long index = m.applied.get(m.applied.size() - 1).index();
                    m.storage.createSnapshot(index, m.storage.confState(), new byte[0]);
                    m.storage.compact(index);
                    if (m.id == 3) {
                        appliedOnFollower += m.appliedData().size();
                    }
                    m.applied.clear();
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        appliedOnFollower += c.member(3).appliedData().size();
        int rounds = (entries + batch - 1) / batch;
        assertEquals((long) rounds * batch, appliedOnFollower, "every proposal is applied on a follower");
        return appliedOnFollower / seconds;
    }
}
