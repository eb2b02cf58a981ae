package io.cairn.server.reliability;

import com.google.protobuf.CodedOutputStream;
import io.cairn.api.etcdserverpb.PutRequest;
import io.cairn.api.etcdserverpb.RequestOp;
import io.cairn.api.etcdserverpb.TxnRequest;
import io.cairn.server.testing.EtcdClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Serialized chains of nested txns, built from the inside out without recursion (protobuf-java
 * cannot serialize a 10,000-level message: its size computation recurses).
 */
final class DeepTxns {
  private static final int TXN_SUCCESS = 2; // TxnRequest.success
  private static final int OP_REQUEST_TXN = 4; // RequestOp.request_txn

  private DeepTxns() {}

  /** A chain of {@code depth} txns, each the only success op of the one around it; the innermost puts {@code key}. */
  static byte[] chain(int depth, String key) {
    byte[] txn = TxnRequest.newBuilder().addSuccess(RequestOp.newBuilder().setRequestPut(
        PutRequest.newBuilder().setKey(EtcdClient.bytes(key)).setValue(EtcdClient.bytes("v" + depth)))).build()
        .toByteArray();
    for (int level = 1; level < depth; level++) {
      byte[] op = wrap(OP_REQUEST_TXN, txn);
      txn = wrap(TXN_SUCCESS, op);
    }
    return txn;
  }

  private static byte[] wrap(int field, byte[] message) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(message.length + 8);
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    try {
      out.writeByteArray(field, message);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }
}
