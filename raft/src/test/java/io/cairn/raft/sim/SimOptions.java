package io.cairn.raft.sim;

import io.cairn.raft.PlantedBug;

/**
 * Shape of one simulation run.
 *
 * @param voters initial voters (3 or 5)
 * @param chaosTicks virtual ticks of faults (crashes, partitions, drops, membership changes...)
 * @param livenessTicks bound on ticks after healing for a leader to be elected and commit a proposal
 * @param bug a planted defect, or null
 */
record SimOptions(int voters, int chaosTicks, int livenessTicks, PlantedBug bug) {
    static SimOptions standard(int voters) {
        return new SimOptions(voters, 500, 200, null);
    }

    SimOptions withBug(PlantedBug b) {
        return new SimOptions(voters, chaosTicks, livenessTicks, b);
    }
}
