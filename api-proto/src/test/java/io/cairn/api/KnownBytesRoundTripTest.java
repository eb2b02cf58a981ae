package io.cairn.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.cairn.api.etcdserverpb.Compare;
import io.cairn.api.etcdserverpb.PutRequest;
import io.cairn.api.etcdserverpb.RangeResponse;
import io.cairn.api.etcdserverpb.ResponseHeader;
import io.cairn.api.etcdserverpb.WatchResponse;
import io.cairn.api.mvccpb.Event;
import io.cairn.api.mvccpb.KeyValue;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Decodes byte strings computed by hand from the protobuf encoding rules and etcd's
 * field numbers (tag byte = field number << 3 | wire type; 0 = varint, 2 = length-delimited),
 * and checks that encoding the decoded message gives the same bytes back. This pins the
 * generated classes to the bytes an etcd client actually sends and receives, independently
 * of the descriptors.
 */
class KnownBytesRoundTripTest {

    private static final HexFormat HEX = HexFormat.ofDelimiter(" ");

    @Test
    void putRequestWithLeaseAndFlags() throws InvalidProtocolBufferException {
        byte[] wire = HEX.parseHex(
                "0a 03 66 6f 6f"   // 1 key = "foo"
                + " 12 03 62 61 72" // 2 value = "bar"
                + " 18 ac 02"       // 3 lease = 300 (varint 0xac 0x02)
                + " 20 01"          // 4 prev_kv = true
                + " 30 01");        // 6 ignore_lease = true

        PutRequest put = PutRequest.parseFrom(wire);

        assertEquals(ByteString.copyFromUtf8("foo"), put.getKey());
        assertEquals(ByteString.copyFromUtf8("bar"), put.getValue());
        assertEquals(300, put.getLease());
        assertTrue(put.getPrevKv());
        assertFalse(put.getIgnoreValue());
        assertTrue(put.getIgnoreLease());
        assertEquals(0, put.getUnknownFields().asMap().size(), "every field must be known");
        assertArrayEquals(wire, put.toByteArray());
    }

    @Test
    void rangeResponseWithHeaderKeyValueMoreAndCount() throws InvalidProtocolBufferException {
        byte[] wire = HEX.parseHex(
                "0a 08"                                  // 1 header, 8 bytes:
                + " 08 01 10 02 18 05 20 03"             //   cluster_id 1, member_id 2, revision 5, raft_term 3
                + " 12 0c"                               // 2 kvs[0], 12 bytes:
                + " 0a 01 61 10 02 18 05 20 02 2a 01 78" //   key "a", create 2, mod 5, version 2, value "x"
                + " 18 01"                               // 3 more = true
                + " 20 03");                             // 4 count = 3

        RangeResponse range = RangeResponse.parseFrom(wire);

        ResponseHeader header = range.getHeader();
        assertEquals(1, header.getClusterId());
        assertEquals(2, header.getMemberId());
        assertEquals(5, header.getRevision());
        assertEquals(3, header.getRaftTerm());
        assertEquals(1, range.getKvsCount());
        KeyValue kv = range.getKvs(0);
        assertEquals(ByteString.copyFromUtf8("a"), kv.getKey());
        assertEquals(2, kv.getCreateRevision());
        assertEquals(5, kv.getModRevision());
        assertEquals(2, kv.getVersion());
        assertEquals(ByteString.copyFromUtf8("x"), kv.getValue());
        assertEquals(0, kv.getLease());
        assertTrue(range.getMore());
        assertEquals(3, range.getCount());
        assertArrayEquals(wire, range.toByteArray());
    }

    @Test
    void compareOnModRevisionOverARangeUsesFieldSixtyFour() throws InvalidProtocolBufferException {
        byte[] wire = HEX.parseHex(
                "08 01"          // 1 result = GREATER
                + " 10 02"       // 2 target = MOD
                + " 1a 01 61"    // 3 key = "a"
                + " 30 03"       // 6 mod_revision = 3 (target_union)
                + " 82 04 01 62"); // 64 range_end = "b" (tag 64 << 3 | 2 = 514 = varint 0x82 0x04)

        Compare compare = Compare.parseFrom(wire);

        assertEquals(Compare.CompareResult.GREATER, compare.getResult());
        assertEquals(Compare.CompareTarget.MOD, compare.getTarget());
        assertEquals(ByteString.copyFromUtf8("a"), compare.getKey());
        assertEquals(Compare.TargetUnionCase.MOD_REVISION, compare.getTargetUnionCase());
        assertEquals(3, compare.getModRevision());
        assertEquals(ByteString.copyFromUtf8("b"), compare.getRangeEnd());
        assertArrayEquals(wire, compare.toByteArray());
    }

    @Test
    void watchResponseCarriesEventsInFieldEleven() throws InvalidProtocolBufferException {
        byte[] wire = HEX.parseHex(
                "10 04"                    // 2 watch_id = 4
                + " 5a 09"                 // 11 events[0], 9 bytes (tag 11 << 3 | 2 = 0x5a):
                + " 08 01"                 //   type = DELETE
                + " 12 05 0a 01 6b 18 09"); //   kv: key "k", mod_revision 9

        WatchResponse watch = WatchResponse.parseFrom(wire);

        assertEquals(4, watch.getWatchId());
        assertFalse(watch.hasHeader());
        assertEquals(1, watch.getEventsCount());
        Event event = watch.getEvents(0);
        assertEquals(Event.EventType.DELETE, event.getType());
        assertEquals(ByteString.copyFromUtf8("k"), event.getKv().getKey());
        assertEquals(9, event.getKv().getModRevision());
        assertFalse(event.hasPrevKv());
        assertArrayEquals(wire, watch.toByteArray());
    }
}
