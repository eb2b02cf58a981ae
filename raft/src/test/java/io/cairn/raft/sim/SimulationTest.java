package io.cairn.raft.sim;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Test;

/**
 * Runs the real core through {@code cairn.sim.seeds} seeded hostile schedules (default 1,000; the
 * sim-long profile runs 100,000), alternating 3 and 5 voters. {@code -Dcairn.sim.seed=N} replays
 * exactly one seed. A failure prints the seed and the property that broke.
 */
class SimulationTest {
    static final long DEFAULT_SEEDS = 1000;

    static SimOptions optionsFor(long seed) {
        return SimOptions.standard(seed % 2 == 0 ? 3 : 5);
    }

    @Test
    void safetyAndLivenessAcrossSeeds() {
        String only = System.getProperty("cairn.sim.seed");
        long first = only != null ? Long.parseLong(only) : Long.getLong("cairn.sim.firstSeed", 0);
        long count = only != null ? 1 : Long.getLong("cairn.sim.seeds", DEFAULT_SEEDS);
        long elections = 0;
        long applied = 0;
        long crashes = 0;
        long snapshots = 0;
        long confChanges = 0;
        long reads = 0;
        long transfers = 0;
        for (long seed = first; seed < first + count; seed++) {
            Simulation sim = new Simulation(seed, optionsFor(seed));
            try {
                sim.run();
            } catch (RuntimeException e) {
                fail("simulation failed; replay with -Dcairn.sim.seed=" + seed + " : " + sim + " : " + e.getMessage(), e);
            }
            elections += sim.leaderTerms();
            applied += sim.maxApplied();
            crashes += sim.crashes;
            snapshots += sim.snapshotsInstalled;
            confChanges += sim.confChangesApplied;
            reads += sim.readsAnswered;
            transfers += sim.transfersTriggered;
        }
        System.out.printf("simulated %d seeds from %d: %d leader terms, %d entries committed, %d crashes, %d snapshots installed, %d conf changes applied, %d reads answered, %d transfers triggered%n",
                count, first, elections, applied, crashes, snapshots, confChanges, reads, transfers);
    }
}
