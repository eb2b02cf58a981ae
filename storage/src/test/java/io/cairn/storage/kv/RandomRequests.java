package io.cairn.storage.kv;

import com.google.protobuf.ByteString;
import io.cairn.api.etcdserverpb.Compare;
import io.cairn.api.etcdserverpb.DeleteRangeRequest;
import io.cairn.api.etcdserverpb.PutRequest;
import io.cairn.api.etcdserverpb.RangeRequest;
import io.cairn.api.etcdserverpb.RequestOp;
import io.cairn.api.etcdserverpb.TxnRequest;
import java.util.SplittableRandom;

/**
 * Random etcd KV requests over a small key space (keys that are prefixes of each other, contain
 * zero bytes or 0xFF), so that collisions, prefixes, empty results and conflicts are frequent.
 * Mostly valid requests with a share of invalid ones (empty keys, ignore flags with values,
 * duplicate keys in txns, unknown leases).
 */
final class RandomRequests {
  private static final ByteString[] KEYS = {
      bytes("a"), bytes("a\0"), bytes("aa"), bytes("ab"), bytes("b"), bytes("ba"), bytes("c"),
      ByteString.copyFrom(new byte[] {(byte) 0xFF})};
  static final long UNKNOWN_LEASE = 7;

  private final SplittableRandom random;

  RandomRequests(SplittableRandom random) {
    this.random = random;
  }

  static ByteString bytes(String s) {
    return ByteString.copyFrom(s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
  }

  private boolean chance(int percent) {
    return random.nextInt(100) < percent;
  }

  private ByteString key() {
    return chance(2) ? ByteString.EMPTY : KEYS[random.nextInt(KEYS.length)];
  }

  private ByteString value() {
    return chance(15) ? ByteString.EMPTY : bytes("v" + random.nextInt(5));
  }

  /** A range_end: single key, "\0" (from key), a prefix end, or an arbitrary bound. */
  private ByteString rangeEnd(ByteString key) {
    return switch (random.nextInt(5)) {
      case 0, 1 -> ByteString.EMPTY;
      case 2 -> ByteString.copyFrom(new byte[] {0});
      case 3 -> prefixEnd(key);
      default -> KEYS[random.nextInt(KEYS.length)];
    };
  }

  private static ByteString prefixEnd(ByteString key) {
    byte[] end = key.toByteArray();
    for (int i = end.length - 1; i >= 0; i--) {
      if (end[i] != (byte) 0xFF) {
        end[i]++;
        return ByteString.copyFrom(end, 0, i + 1);
      }
    }
    return ByteString.copyFrom(new byte[] {0});
  }

  PutRequest put() {
    PutRequest.Builder p = PutRequest.newBuilder().setKey(key()).setValue(value());
    if (chance(30)) {
      p.setLease(chance(10) ? UNKNOWN_LEASE : 1 + random.nextInt(3));
    }
    p.setPrevKv(chance(40));
    if (chance(10)) {
      p.setIgnoreValue(true);
      if (chance(70)) {
        p.clearValue();
      }
    }
    if (chance(10)) {
      p.setIgnoreLease(true);
      if (chance(70)) {
        p.clearLease();
      }
    }
    return p.build();
  }

  DeleteRangeRequest delete() {
    ByteString key = key();
    if (chance(3)) {
      return DeleteRangeRequest.newBuilder().setKey(ByteString.copyFrom(new byte[] {0}))
          .setRangeEnd(ByteString.copyFrom(new byte[] {0})).setPrevKv(chance(50)).build();
    }
    return DeleteRangeRequest.newBuilder().setKey(key).setRangeEnd(rangeEnd(key)).setPrevKv(chance(50)).build();
  }

  RangeRequest range(long currentRevision, long compacted) {
    ByteString key = key();
    RangeRequest.Builder r = RangeRequest.newBuilder().setKey(key).setRangeEnd(rangeEnd(key));
    if (chance(5)) {
      r.setKey(ByteString.copyFrom(new byte[] {0})).setRangeEnd(ByteString.copyFrom(new byte[] {0}));
    }
    if (chance(50)) {
      long low = Math.max(compacted - 2, -2);
      r.setRevision(low + random.nextLong(Math.max(1, currentRevision + 3 - low)));
    }
    if (chance(40)) {
      r.setLimit(random.nextInt(4));
    }
    if (chance(40)) {
      r.setSortOrder(RangeRequest.SortOrder.forNumber(random.nextInt(3)));
    }
    if (chance(40)) {
      r.setSortTarget(RangeRequest.SortTarget.forNumber(random.nextInt(5)));
    }
    r.setKeysOnly(chance(15)).setCountOnly(chance(10));
    if (chance(15)) {
      r.setMinModRevision(random.nextLong(Math.max(1, currentRevision + 1)));
    }
    if (chance(15)) {
      r.setMaxModRevision(random.nextLong(Math.max(1, currentRevision + 1)));
    }
    if (chance(15)) {
      r.setMinCreateRevision(random.nextLong(Math.max(1, currentRevision + 1)));
    }
    if (chance(15)) {
      r.setMaxCreateRevision(random.nextLong(Math.max(1, currentRevision + 1)));
    }
    return r.build();
  }

  private Compare compare(long currentRevision) {
    ByteString key = key();
    Compare.Builder c = Compare.newBuilder().setKey(key)
        .setResult(Compare.CompareResult.forNumber(random.nextInt(4)))
        .setTarget(Compare.CompareTarget.forNumber(random.nextInt(5)));
    if (chance(30)) {
      c.setRangeEnd(rangeEnd(key));
    }
    // Usually the union case matching the target; sometimes another one or none.
    int union = chance(85) ? c.getTarget().getNumber() : random.nextInt(6);
    long number = random.nextLong(Math.max(1, currentRevision + 2));
    switch (union) {
      case 0 -> c.setVersion(random.nextInt(4));
      case 1 -> c.setCreateRevision(number);
      case 2 -> c.setModRevision(number);
      case 3 -> c.setValue(value());
      case 4 -> c.setLease(random.nextInt(4));
      default -> { }
    }
    return c.build();
  }

  TxnRequest txn(long currentRevision, long compacted, int depth) {
    TxnRequest.Builder t = TxnRequest.newBuilder();
    int compares = random.nextInt(3);
    for (int i = 0; i < compares; i++) {
      t.addCompare(compare(currentRevision));
    }
    int success = random.nextInt(4);
    int failure = random.nextInt(3);
    for (int i = 0; i < success; i++) {
      t.addSuccess(op(currentRevision, compacted, depth));
    }
    for (int i = 0; i < failure; i++) {
      t.addFailure(op(currentRevision, compacted, depth));
    }
    return t.build();
  }

  private RequestOp op(long currentRevision, long compacted, int depth) {
    int kind = random.nextInt(depth < 2 ? 10 : 9);
    RequestOp.Builder op = RequestOp.newBuilder();
    if (kind < 3) {
      op.setRequestRange(range(currentRevision, compacted));
    } else if (kind < 6) {
      op.setRequestPut(put());
    } else if (kind < 9) {
      op.setRequestDeleteRange(delete());
    } else {
      op.setRequestTxn(txn(currentRevision, compacted, depth + 1));
    }
    return op.build();
  }
}
