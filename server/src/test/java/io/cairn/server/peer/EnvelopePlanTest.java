package io.cairn.server.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.raft.Entry;
import io.cairn.raft.Message;
import io.cairn.raft.MessageType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EnvelopePlanTest {

  private static final int MIB = 1 << 20;

  @Test
  void anAppendFromThePlaceOfALaterOneIsLeftOutAndTheOrderOfTheRestKept() {
    Message heartbeat = heartbeat();
    Message probe = append(2, 5, 1, 7, 10);
    Message sameProbeLater = append(2, 5, 1, 7, 10, 11);
    Message next = append(2, 5, 1, 11, 12);
    List<Message> kept = EnvelopePlan.withoutSupersededAppends(List.of(probe, heartbeat, sameProbeLater, next));
    assertEquals(3, kept.size());
    assertSame(heartbeat, kept.get(0));
    assertSame(sameProbeLater, kept.get(1));
    assertSame(next, kept.get(2));
  }

  @Test
  void appendsFromOtherTermsOrOtherPlacesOrToOtherPeersAreAllKept() {
    List<Message> messages = List.of(append(2, 5, 1, 7, 10), append(2, 6, 1, 7, 10), append(2, 5, 2, 7, 10),
        append(2, 5, 1, 8, 10), append(3, 5, 1, 7, 10));
    assertEquals(messages, EnvelopePlan.withoutSupersededAppends(messages));
  }

  @Test
  void aBacklogOfIdenticalProbesLeavesOneAppend() {
    List<Message> backlog = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      backlog.add(heartbeat());
      backlog.add(bigAppend(7, MIB));
    }
    List<Message> kept = EnvelopePlan.withoutSupersededAppends(backlog);
    assertEquals(301, kept.size());
    assertEquals(1, kept.stream().filter(m -> m.type() == MessageType.APP).count());
  }

  @Test
  void envelopesStayNearTheBoundAndABigMessageTravelsAlone() {
    List<Message> messages = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      messages.add(bigAppend(i + 1, MIB));
    }
    messages.add(bigAppend(20, 6 * MIB));
    messages.add(heartbeat());
    List<List<Message>> envelopes = EnvelopePlan.envelopes(messages);
    assertEquals(List.of(3, 3, 3, 1, 1, 1), envelopes.stream().map(List::size).toList());
    for (List<Message> envelope : envelopes) {
      long bytes = envelope.stream().mapToLong(EnvelopePlan::estimatedBytes).sum();
      assertTrue(envelope.size() == 1 || bytes <= EnvelopePlan.MAX_ENVELOPE_BYTES, "envelope of " + bytes + " bytes");
    }
    assertEquals(messages, envelopes.stream().flatMap(List::stream).toList());
  }

  private static Message heartbeat() {
    return new Message(MessageType.HEARTBEAT, 1, 2, 5, 0, 0, List.of(), 0, null, false, 0, null);
  }

  private static Message append(long to, long term, long logTerm, long prevIndex, long... indexes) {
    List<Entry> entries = new ArrayList<>();
    for (long index : indexes) {
      entries.add(Entry.normal(term, index, new byte[] {1}));
    }
    return new Message(MessageType.APP, 1, to, term, logTerm, prevIndex, entries, 0, null, false, 0, null);
  }

  private static Message bigAppend(long prevIndex, int bytes) {
    Entry entry = Entry.normal(3, prevIndex + 1, new byte[bytes]);
    return new Message(MessageType.APP, 1, 2, 3, 3, prevIndex, List.of(entry), 0, null, false, 0, null);
  }
}
