package io.cairn.storage.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.cairn.api.etcdserverpb.Compare;
import io.cairn.api.etcdserverpb.PutRequest;
import io.cairn.api.etcdserverpb.RangeRequest;
import io.cairn.api.etcdserverpb.RequestOp;
import io.cairn.api.etcdserverpb.TxnRequest;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TxnNestingTest {
  private static RequestOp put(String key) {
    return RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8(key))).build();
  }

  private static RequestOp nested(TxnRequest txn) {
    return RequestOp.newBuilder().setRequestTxn(txn).build();
  }

  /** {@code depth} txns, each nested in the failure branch of the one around it, with compares and puts beside. */
  private static TxnRequest chain(int depth) {
    TxnRequest txn = TxnRequest.newBuilder().addSuccess(put("leaf")).build();
    for (int level = 1; level < depth; level++) {
      txn = TxnRequest.newBuilder()
          .addCompare(Compare.newBuilder().setKey(ByteString.copyFromUtf8("c")).setVersion(level))
          .addSuccess(put("s" + level))
          .addFailure(RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("r"))))
          .addFailure(nested(txn))
          .build();
    }
    return txn;
  }

  @Test
  void measuresTheDeepestBranch() throws Exception {
    assertEquals(1, TxnNesting.depth(TxnRequest.getDefaultInstance().toByteArray(), 10));
    assertEquals(1, TxnNesting.depth(TxnRequest.newBuilder().addSuccess(put("a")).build().toByteArray(), 10));
    for (int depth : new int[] {2, 3, 17, 100}) {
      assertEquals(depth, TxnNesting.depth(chain(depth).toByteArray(), 1000), "chain of " + depth);
    }
    // Two branches of different depth: the deeper counts, whichever comes first.
    TxnRequest wide = TxnRequest.newBuilder().addSuccess(nested(chain(5))).addSuccess(nested(chain(2)))
        .addFailure(nested(chain(9))).build();
    assertEquals(10, TxnNesting.depth(wide.toByteArray(), 1000));
  }

  @Test
  void stopsAtTheLimit() throws Exception {
    byte[] deep = chain(50).toByteArray();
    assertEquals(50, TxnNesting.depth(deep, 50));
    assertEquals(50, TxnNesting.depth(deep, 49), "limit + 1 once the limit is passed");
    assertEquals(11, TxnNesting.depth(deep, 10));
  }

  @Test
  void refusesBytesThatAreNotAMessage() {
    byte[] deep = chain(20).toByteArray();
    assertThrows(InvalidProtocolBufferException.class,
        () -> TxnNesting.depth(Arrays.copyOf(deep, deep.length / 2), 1000), "truncated");
    assertThrows(InvalidProtocolBufferException.class,
        () -> TxnNesting.depth(new byte[] {0x12, 0x7f, 0x01}, 1000), "length past the end");
    assertThrows(InvalidProtocolBufferException.class,
        () -> TxnNesting.depth(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff}, 1000),
        "malformed varint");
  }

  @Test
  void theDeepestAcceptedTxnParsesWithTheSharedLimit() throws Exception {
    TxnRequest deepest = chain(RequestLimits.MAX_TXN_DEPTH);
    // The apply path parses it inside its log entry wrapper: one more level than the edge.
    byte[] wrapped = TxnRequest.newBuilder().addSuccess(nested(deepest)).build().toByteArray();
    assertEquals(RequestLimits.MAX_TXN_DEPTH + 1, TxnNesting.depth(wrapped, 10_000));
    assertEquals(deepest, RequestLimits.parse(TxnRequest.parser(), deepest.toByteArray()));
    RequestLimits.parse(TxnRequest.parser(), wrapped);
    // protobuf's default limit (100) is what used to fail on apply.
    assertThrows(InvalidProtocolBufferException.class, () -> TxnRequest.parseFrom(wrapped));
  }
}
