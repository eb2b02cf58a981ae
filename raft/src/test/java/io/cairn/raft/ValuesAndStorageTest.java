package io.cairn.raft;

import static io.cairn.raft.PaperTest.b;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The plain building blocks: value encodings, MemoryStorage, the inflight window, config validation. */
class ValuesAndStorageTest {
    @Test
    @DisplayName("ConfChange encode/decode round-trips (seeded random property) and rejects garbage")
    void confChangeRoundTrip() {
        long seed = 7;
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = 0; i < 1000; i++) {
            byte[] ctx = new byte[rnd.nextInt(20)];
            for (int j = 0; j < ctx.length; j++) {
                ctx[j] = (byte) rnd.nextInt(256);
            }
            ConfChange cc = new ConfChange(ConfChangeType.values()[rnd.nextInt(3)], 1 + rnd.nextLong(Long.MAX_VALUE - 1), ctx);
            assertEquals(cc, ConfChange.decode(cc.encode()), "seed " + seed + " case " + i);
        }
        assertThrows(IllegalArgumentException.class, () -> ConfChange.decode(b("nope")));
        assertThrows(IllegalArgumentException.class, () -> new ConfChange(ConfChangeType.ADD_NODE, 0, null));
    }

    @Test
    @DisplayName("MemoryStorage: append truncates a conflicting suffix; compact keeps the boundary term")
    void memoryStorageAppendAndCompact() {
        MemoryStorage s = MemoryStorage.bootstrap(ConfState.ofVoters(1L));
        s.append(List.of(Entry.normal(2, 2, b("a")), Entry.normal(2, 3, b("b")), Entry.normal(2, 4, b("c"))));
        s.append(List.of(Entry.normal(3, 3, b("x"))));
        assertEquals(3, s.lastIndex());
        assertEquals(3, s.term(3));
        s.createSnapshot(2, s.confState(), b("snap"));
        s.compact(2);
        assertEquals(3, s.firstIndex());
        assertEquals(2, s.term(2), "the term at firstIndex-1 stays available");
        assertThrows(CompactedException.class, () -> s.term(1));
        assertThrows(CompactedException.class, () -> s.entries(2, 4, Long.MAX_VALUE));
        assertThrows(UnavailableException.class, () -> s.term(9));
        assertThrows(IllegalArgumentException.class, () -> s.append(List.of(Entry.normal(3, 9, b("gap")))));
        assertEquals(3, s.lastIndex(), "a bad append changes nothing");
    }

    @Test
    @DisplayName("MemoryStorage: entries() honours the byte limit but returns at least one entry")
    void memoryStorageSizeLimit() {
        MemoryStorage s = new MemoryStorage();
        List<Entry> ents = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            ents.add(Entry.normal(1, i, new byte[100]));
        }
        s.append(ents);
        assertEquals(1, s.entries(1, 11, 1).size());
        assertEquals(3, s.entries(1, 11, 3 * ents.get(0).sizeBytes()).size());
        assertEquals(10, s.entries(1, 11, Long.MAX_VALUE).size());
    }

    @Test
    @DisplayName("MemoryStorage: an out-of-date snapshot is refused")
    void staleSnapshotRefused() {
        MemoryStorage s = new MemoryStorage();
        s.applySnapshot(new Snapshot(new SnapshotMetadata(10, 2, ConfState.ofVoters(1L)), b("s")));
        assertEquals(11, s.firstIndex());
        assertThrows(IllegalArgumentException.class,
                () -> s.applySnapshot(new Snapshot(new SnapshotMetadata(5, 2, ConfState.ofVoters(1L)), b("old"))));
        assertEquals(11, s.firstIndex());
    }

    @Test
    @DisplayName("Inflights: full by count or bytes, freed by acknowledgement")
    void inflights() {
        Inflights in = new Inflights(3, 1000);
        in.add(1, 100);
        in.add(2, 100);
        assertFalse(in.full());
        in.add(3, 100);
        assertTrue(in.full(), "full by count");
        assertThrows(IllegalStateException.class, () -> in.add(4, 1));
        in.freeLE(2);
        assertEquals(1, in.count());
        in.add(4, 900);
        assertTrue(in.full(), "full by bytes");
        in.freeLE(4);
        assertEquals(0, in.count());
    }

    @Test
    @DisplayName("RaftConfig: etcd defaults, and each invalid field is named")
    void configDefaultsAndValidation() {
        RaftConfig c = RaftConfig.builder(3).build();
        assertEquals(10, c.electionTick());
        assertEquals(1, c.heartbeatTick());
        assertEquals(1024 * 1024, c.maxSizePerMsg());
        assertEquals(256, c.maxInflightMsgs());
        assertTrue(c.preVote() && c.checkQuorum());
        for (var bad : List.<java.util.function.Supplier<RaftConfig>>of(
                () -> RaftConfig.builder(1).maxInflightMsgs(0).build(),
                () -> RaftConfig.builder(1).maxSizePerMsg(0).build(),
                () -> RaftConfig.builder(1).heartbeatTick(0).build(),
                () -> RaftConfig.builder(1).applied(-1).build())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, bad::get);
            assertTrue(e.getMessage().startsWith("invalid raft config: "), e.getMessage());
        }
    }

    @Test
    @DisplayName("a node restarted with applied beyond its commit index fails loudly")
    void appliedBeyondCommitFails() {
        MemoryStorage s = MemoryStorage.bootstrap(ConfState.ofVoters(1L));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> RaftNode.create(RaftConfig.builder(1).applied(5).build(), s));
        assertTrue(e.getMessage().contains("applied"), e.getMessage());
    }
}
