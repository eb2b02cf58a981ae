package io.cairn.raft;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The current membership with a {@link Progress} per member, plus the votes of an election in
 * progress. Quorum is a simple majority of voters; learners never count.
 */
final class ProgressTracker {
    /** Ascending id order, so iteration is deterministic. Invariant: keys == voters ∪ learners. */
    final TreeMap<Long, Progress> progress = new TreeMap<>();
    final TreeSet<Long> voters = new TreeSet<>();
    final TreeSet<Long> learners = new TreeSet<>();
    /** Votes received in the current (pre-)election: id → granted. */
    private final TreeMap<Long, Boolean> votes = new TreeMap<>();
    private final int maxInflight;
    private final long maxInflightBytes;

    ProgressTracker(int maxInflight, long maxInflightBytes) {
        this.maxInflight = maxInflight;
        this.maxInflightBytes = maxInflightBytes;
    }

    ConfState confState() {
        return new ConfState(Set.copyOf(voters), Set.copyOf(learners));
    }

    boolean isSingletonVoter(long id) {
        return voters.size() == 1 && voters.contains(id);
    }

    Progress newProgress(long match, long next, boolean learner) {
        return new Progress(match, next, maxInflight, maxInflightBytes, learner);
    }

    /** The highest index replicated on a majority of voters. */
    long committed() {
        if (voters.isEmpty()) {
            return 0;
        }
        long[] matches = new long[voters.size()];
        int i = 0;
        for (long id : voters) {
            Progress pr = progress.get(id);
            matches[i++] = pr == null ? 0 : pr.match;
        }
        Arrays.sort(matches);
        return matches[matches.length - (matches.length / 2 + 1)];
    }

    /** Whether a majority of voters was recently active (the leader counts itself via its own Progress). */
    boolean quorumActive(long selfId) {
        int active = 0;
        for (long id : voters) {
            Progress pr = progress.get(id);
            if (id == selfId || (pr != null && pr.recentActive)) {
                active++;
            }
        }
        return active > voters.size() / 2;
    }

    void resetVotes() {
        votes.clear();
    }

    void recordVote(long id, boolean granted) {
        votes.putIfAbsent(id, granted);
    }

    enum VoteResult { WON, LOST, PENDING }

    VoteResult tallyVotes() {
        int granted = 0;
        int rejected = 0;
        for (long id : voters) {
            Boolean v = votes.get(id);
            if (v == null) {
                continue;
            }
            if (v) {
                granted++;
            } else {
                rejected++;
            }
        }
        int quorum = voters.size() / 2 + 1;
        if (granted >= quorum) {
            return VoteResult.WON;
        }
        if (voters.size() - rejected < quorum) {
            return VoteResult.LOST;
        }
        return VoteResult.PENDING;
    }

    /** Visible votes for status output. */
    Map<Long, Boolean> votes() {
        return Map.copyOf(votes);
    }
}
