package io.cairn.storage.kv;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import java.io.IOException;

/**
 * Measures how deeply the txns in a serialized TxnRequest nest, without recursion: a request of
 * any depth (a 10,000-level chain is 40 KB) is measured in constant stack, so it can be refused
 * before a recursive parser sees it. Only the txn structure is followed (success and failure ops
 * holding a request_txn); every other field is skipped unread.
 */
public final class TxnNesting {
  // etcdserverpb.TxnRequest: compare = 1, success = 2, failure = 3.
  private static final int TXN_SUCCESS = 2;
  private static final int TXN_FAILURE = 3;
  // etcdserverpb.RequestOp: request_txn = 4.
  private static final int OP_REQUEST_TXN = 4;

  private TxnNesting() {}

  /**
   * The nesting depth of the TxnRequest in {@code bytes} (1 for a txn without nested txns), or
   * {@code limit + 1} as soon as it is known to exceed {@code limit}.
   *
   * @throws InvalidProtocolBufferException if the bytes are not a well-formed message along the
   *     txn structure
   */
  public static int depth(byte[] bytes, int limit) throws InvalidProtocolBufferException {
    CodedInputStream in = CodedInputStream.newInstance(bytes);
    // Each open message is a pushed limit; its kind alternates: even levels are TxnRequests,
    // odd levels RequestOps, so the txn depth is open / 2 + 1.
    int[] saved = new int[2 * limit + 2];
    int open = 0;
    int deepest = 1;
    try {
      while (true) {
        if (in.isAtEnd()) {
          if (open == 0) {
            return deepest;
          }
          in.popLimit(saved[--open]);
          continue;
        }
        int tag = in.readTag();
        int field = WireFormat.getTagFieldNumber(tag);
        boolean inTxn = open % 2 == 0;
        boolean descend = WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED
            && (inTxn ? field == TXN_SUCCESS || field == TXN_FAILURE : field == OP_REQUEST_TXN);
        if (!descend) {
          in.skipField(tag);
          continue;
        }
        int length = in.readRawVarint32();
        saved[open++] = in.pushLimit(length);
        if (!inTxn) {
          deepest = Math.max(deepest, open / 2 + 1);
          if (deepest > limit) {
            return limit + 1;
          }
        }
      }
    } catch (InvalidProtocolBufferException e) {
      throw e;
    } catch (IOException e) {
      throw new InvalidProtocolBufferException(e);
    }
  }
}
