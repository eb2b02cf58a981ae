package io.cairn.server.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.raft.ConfChange;
import io.cairn.raft.ConfChangeType;
import io.cairn.raft.ConfState;
import io.cairn.raft.Entry;
import io.cairn.raft.EntryType;
import io.cairn.raft.Message;
import io.cairn.raft.MessageType;
import io.cairn.raft.Snapshot;
import io.cairn.raft.SnapshotMetadata;
import io.cairn.server.internal.RaftEntry;
import io.cairn.server.internal.RaftMessage;
import io.cairn.server.testing.PinnedBytes;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Pins the peer wire form of every raft message kind. During a rolling upgrade members of two Cairn
 * versions exchange these messages, so a type code or field number that moves makes one side
 * misread the other: this fails first. The pinned bytes were produced by the codec as it was when
 * type codes were still enum ordinals, so they also prove the explicit codes kept those values.
 */
class MessageCodecFormatTest {

  @Test
  void everyWireMessageKindHasItsPinnedBytes() throws Exception {
    Set<MessageType> wireKinds = EnumSet.noneOf(MessageType.class);
    for (MessageType type : MessageType.values()) {
      if (!type.isLocal()) {
        wireKinds.add(type);
      }
    }
    assertEquals(wireKinds, PINNED.keySet(), "every kind that crosses the wire is pinned");
    PinnedBytes pinned = new PinnedBytes();
    for (Message m : oneOfEachWireKind()) {
      String hex = PINNED.get(m.type());
      pinned.expect(m.type().name(), hex, MessageCodec.encode(m).toByteArray());
      if (hex != null) {
        assertEquals(m, MessageCodec.decode(RaftMessage.parseFrom(PinnedBytes.parse(hex))), m.type().name());
      }
    }
    pinned.check();
  }

  @Test
  void aLocalKindIsNotAcceptedFromThePeerWire() {
    for (MessageType local : List.of(MessageType.HUP, MessageType.BEAT, MessageType.CHECK_QUORUM,
        MessageType.SNAP_STATUS, MessageType.UNREACHABLE)) {
      RaftMessage wire = MessageCodec.encode(new Message(local, 1, 2, 1, 0, 0, List.of(), 0, null, false, 0, null));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MessageCodec.decode(wire));
      assertTrue(e.getMessage().contains(local.name()), e.getMessage());
    }
  }

  @Test
  void unknownMessageAndEntryTypeCodesAreRejected() {
    RaftMessage unknownType = RaftMessage.newBuilder().setType(99).setFrom(1).setTo(2).build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MessageCodec.decode(unknownType));
    assertTrue(e.getMessage().contains("99"), e.getMessage());
    RaftMessage unknownEntry = RaftMessage.newBuilder().setType(MessageType.APP.code()).setFrom(1).setTo(2)
        .addEntries(RaftEntry.newBuilder().setTerm(1).setIndex(1).setType(7)).build();
    e = assertThrows(IllegalArgumentException.class, () -> MessageCodec.decode(unknownEntry));
    assertTrue(e.getMessage().contains("7"), e.getMessage());
  }

  /** One message of each kind that crosses the wire, with the fields that kind uses set. */
  static List<Message> oneOfEachWireKind() {
    byte[] readContext = "read-7".getBytes(StandardCharsets.US_ASCII);
    Entry put = new Entry(5, 11, EntryType.NORMAL, "put k v".getBytes(StandardCharsets.US_ASCII));
    Entry change = new Entry(5, 12, EntryType.CONF_CHANGE,
        new ConfChange(ConfChangeType.ADD_LEARNER_NODE, 4, "m4".getBytes(StandardCharsets.US_ASCII)).encode());
    Snapshot snapshot = new Snapshot(new SnapshotMetadata(100, 4, new ConfState(Set.of(1L), Set.of(4L))),
        "checkpoint".getBytes(StandardCharsets.US_ASCII));
    return List.of(
        new Message(MessageType.APP, 1, 2, 5, 4, 10, List.of(put, change), 9, null, false, 0, null),
        new Message(MessageType.APP_RESP, 2, 1, 5, 3, 12, List.of(), 0, null, true, 7, null),
        new Message(MessageType.VOTE, 3, 2, 6, 5, 12, List.of(), 0, null, false, 0,
            "CampaignTransfer".getBytes(StandardCharsets.US_ASCII)),
        new Message(MessageType.VOTE_RESP, 2, 3, 6, 0, 0, List.of(), 0, null, true, 0, null),
        new Message(MessageType.PRE_VOTE, 3, 2, 7, 5, 12, List.of(), 0, null, false, 0, null),
        new Message(MessageType.PRE_VOTE_RESP, 2, 3, 7, 0, 0, List.of(), 0, null, false, 0, null),
        new Message(MessageType.HEARTBEAT, 1, 2, 5, 0, 0, List.of(), 9, null, false, 0, readContext),
        new Message(MessageType.HEARTBEAT_RESP, 2, 1, 5, 0, 0, List.of(), 0, null, false, 0, readContext),
        new Message(MessageType.SNAP, 1, 2, 5, 0, 0, List.of(), 0, snapshot, false, 0, null),
        new Message(MessageType.PROP, 2, 1, 0, 0, 0,
            List.of(new Entry(0, 0, EntryType.NORMAL, "put k v".getBytes(StandardCharsets.US_ASCII))), 0, null, false, 0, null),
        new Message(MessageType.READ_INDEX, 2, 1, 5, 0, 0, List.of(), 0, null, false, 0, readContext),
        new Message(MessageType.READ_INDEX_RESP, 1, 2, 5, 0, 10, List.of(), 0, null, false, 0, readContext),
        new Message(MessageType.TIMEOUT_NOW, 1, 3, 5, 0, 0, List.of(), 0, null, false, 0, null),
        new Message(MessageType.TRANSFER_LEADER, 3, 1, 5, 0, 0, List.of(), 0, null, false, 0, null));
  }

  /** The bytes each kind of {@link #oneOfEachWireKind} encodes to, as the first release wrote them. */
  private static final Map<MessageType, String> PINNED = Map.ofEntries(
      Map.entry(MessageType.APP, "1001180220052804300a3a0d0805100b2207707574206b20763a140805100c1801220c010100000000000000046d344009"),
      Map.entry(MessageType.APP_RESP, "08011002180120052803300c50015807"),
      Map.entry(MessageType.VOTE, "08021003180220062805300c621043616d706169676e5472616e73666572"),
      Map.entry(MessageType.VOTE_RESP, "08031002180320065001"),
      Map.entry(MessageType.PRE_VOTE, "08041003180220072805300c"),
      Map.entry(MessageType.PRE_VOTE_RESP, "0805100218032007"),
      Map.entry(MessageType.HEARTBEAT, "080610011802200540096206726561642d37"),
      Map.entry(MessageType.HEARTBEAT_RESP, "08071002180120056206726561642d37"),
      Map.entry(MessageType.SNAP, "08081001180220054a0a086410041a01012201046a0a636865636b706f696e74"),
      Map.entry(MessageType.PROP, "0809100218013a092207707574206b2076"),
      Map.entry(MessageType.READ_INDEX, "080a1002180120056206726561642d37"),
      Map.entry(MessageType.READ_INDEX_RESP, "080b100118022005300a6206726561642d37"),
      Map.entry(MessageType.TIMEOUT_NOW, "080c100118032005"),
      Map.entry(MessageType.TRANSFER_LEADER, "080d100318012005"));
}
