package io.cairn.raft;

import java.util.List;

/**
 * One numbered batch of work for the driver, produced by {@link RaftNode#ready()} and acknowledged by
 * {@link RaftNode#advance(Ready)}. The driver must, in this order: send {@code messages} (any time),
 * persist {@code hardState}, {@code entries} and {@code snapshot} (fsync when {@code mustSync}),
 * then send {@code messagesAfterPersist}, apply {@code snapshot} then {@code committedEntries} in
 * order, serve {@code readStates} once applied up to their index, and call advance.
 * Committed entries may include entries of this same batch's {@code entries}: they are applied only
 * after being persisted.
 *
 * @param softState the new leader/role, or null if unchanged since the last batch
 * @param hardState the new term/vote/commit to persist, or null if unchanged
 * @param snapshot a snapshot to install, or null
 */
public record Ready(long number, SoftState softState, HardState hardState, List<Entry> entries, Snapshot snapshot,
                    List<Message> messages, List<Message> messagesAfterPersist, List<Entry> committedEntries,
                    List<ReadState> readStates, boolean mustSync) {
    public Ready {
        entries = List.copyOf(entries);
        messages = List.copyOf(messages);
        messagesAfterPersist = List.copyOf(messagesAfterPersist);
        committedEntries = List.copyOf(committedEntries);
        readStates = List.copyOf(readStates);
    }
}
