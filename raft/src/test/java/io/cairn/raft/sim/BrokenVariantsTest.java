package io.cairn.raft.sim;

import io.cairn.raft.PlantedBug;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Proof that the simulator has teeth: each deliberately broken variant of the core must be caught
 * within the default seed count, either by a checked property (SafetyViolation) or by the core's own
 * invariant checks failing loudly (IllegalStateException, e.g. a conflict below the commit index). The first catching seed is printed so it can
 * be replayed.
 */
class BrokenVariantsTest {
    @ParameterizedTest
    @EnumSource(PlantedBug.class)
    void simulatorCatchesPlantedBug(PlantedBug bug) {
        for (long seed = 0; seed < SimulationTest.DEFAULT_SEEDS; seed++) {
            Simulation sim = new Simulation(seed, SimulationTest.optionsFor(seed).withBug(bug));
            try {
                sim.run();
            } catch (SafetyViolation | IllegalStateException e) {
                System.out.printf("%s caught at seed %d (%s): %s%n", bug, seed, sim, e.getMessage().lines().findFirst().orElse(""));
                return;
            }
        }
        throw new AssertionError(bug + " was not caught within " + SimulationTest.DEFAULT_SEEDS + " seeds");
    }
}
