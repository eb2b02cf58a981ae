package io.cairn.server.compat;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.cairn.api.etcdserverpb.CompactionRequest;
import io.cairn.api.etcdserverpb.Compare;
import io.cairn.api.etcdserverpb.DeleteRangeRequest;
import io.cairn.api.etcdserverpb.LeaseGrantRequest;
import io.cairn.api.etcdserverpb.LeaseRevokeRequest;
import io.cairn.api.etcdserverpb.PutRequest;
import io.cairn.api.etcdserverpb.RangeRequest;
import io.cairn.api.etcdserverpb.RequestOp;
import io.cairn.api.etcdserverpb.TxnRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded random etcd KV requests for the differential test: each call returns one request
 * message (Put, Range, DeleteRange, Txn, Compaction, LeaseGrant or LeaseRevoke) to send to both
 * servers.
 *
 * <p>The key space is tiny and awkward on purpose (keys that prefix each other, a zero byte, a
 * 0xFF byte), so that prefixes, {@code "\0"} range ends, empty ranges, compare-over-range and
 * duplicate-key conflicts come up often. A share of requests is invalid (empty keys, ignore flags
 * with a value or lease, too many txn ops, revisions that are compacted or in the future) so that
 * etcd's errors are compared too.
 *
 * <p>Leases come from a small pool of ids that requests grant (with a TTL far longer than a run,
 * so that no lease expires on either server: expiry is time, not data), revoke, and attach to
 * puts; an id of the pool may be ungranted at the time, which etcd refuses.
 */
public final class KvRequestGenerator {
  private static final ByteString ZERO = ByteString.copyFrom(new byte[] {0});
  private static final ByteString[] KEYS = {
      utf8("k"), utf8("k\0"), utf8("ka"), utf8("kab"), utf8("kb"), utf8("l"), utf8("lz"),
      ByteString.copyFrom(new byte[] {'k', (byte) 0xFF}), ByteString.copyFrom(new byte[] {(byte) 0xFF})};

  /** Lease ids requests grant, revoke and attach; granted with a TTL no run outlives. */
  private static final long[] LEASES = {1001, 1002, 1003};
  private static final long LEASE_TTL_SECONDS = 3600;

  private final SplittableRandom random;
  /** The servers' current revision, as last reported; drives the revisions requests name. */
  private long currentRevision = 1;
  /** The last revision compacted at, 0 before any compaction. */
  private long compactedRevision = 0;

  public KvRequestGenerator(long seed) {
    this.random = new SplittableRandom(seed);
  }

  private static ByteString utf8(String s) {
    return ByteString.copyFrom(s, StandardCharsets.UTF_8);
  }

  /** Tells the generator what the servers answered, so later revisions are near the real ones. */
  public void observe(long revision, boolean compactedAt, long compactRevision) {
    currentRevision = Math.max(currentRevision, revision);
    if (compactedAt) {
      compactedRevision = compactRevision;
    }
  }

  public Message next() {
    int kind = random.nextInt(100);
    if (kind < 30) {
      return put();
    }
    if (kind < 55) {
      return range();
    }
    if (kind < 67) {
      return delete();
    }
    if (kind < 92) {
      return random.nextInt(40) == 0 ? oversizedTxn() : txn(0);
    }
    if (kind < 95) {
      return LeaseGrantRequest.newBuilder().setID(lease()).setTTL(LEASE_TTL_SECONDS).build();
    }
    if (kind < 97) {
      return LeaseRevokeRequest.newBuilder().setID(lease()).build();
    }
    return compaction();
  }

  private boolean percent(int p) {
    return random.nextInt(100) < p;
  }

  private long lease() {
    return LEASES[random.nextInt(LEASES.length)];
  }

  private ByteString key() {
    return percent(2) ? ByteString.EMPTY : KEYS[random.nextInt(KEYS.length)];
  }

  private ByteString value() {
    return percent(10) ? ByteString.EMPTY : utf8("v" + random.nextInt(6));
  }

  /** A range end: none (one key), "\0" (key to the end), the key's prefix end, or another key. */
  private ByteString rangeEnd(ByteString key) {
    int kind = random.nextInt(6);
    if (kind < 2) {
      return ByteString.EMPTY;
    }
    if (kind == 2) {
      return ZERO;
    }
    if (kind == 3) {
      return prefixEnd(key);
    }
    return KEYS[random.nextInt(KEYS.length)];
  }

  /** etcd's GetPrefixRangeEnd: increment the last byte below 0xFF; all 0xFF (or empty) gives "\0". */
  private static ByteString prefixEnd(ByteString key) {
    byte[] end = key.toByteArray();
    for (int i = end.length - 1; i >= 0; i--) {
      if (end[i] != (byte) 0xFF) {
        end[i]++;
        return ByteString.copyFrom(end, 0, i + 1);
      }
    }
    return ZERO;
  }

  /** A revision for a read: mostly readable ones, some compacted, future, zero or negative. */
  private long readRevision() {
    long low = Math.max(compactedRevision - 2, -2);
    long high = currentRevision + 2;
    return low + random.nextLong(high - low + 1);
  }

  PutRequest put() {
    PutRequest.Builder put = PutRequest.newBuilder().setKey(key()).setValue(value()).setPrevKv(percent(40));
    if (percent(25)) {
      put.setLease(lease());
    }
    if (percent(10)) {
      put.setIgnoreValue(true);
      if (percent(75)) {
        put.clearValue();
      }
    }
    if (percent(10)) {
      put.setIgnoreLease(true);
      if (percent(75)) {
        put.clearLease();
      }
    }
    return put.build();
  }

  DeleteRangeRequest delete() {
    ByteString key = key();
    DeleteRangeRequest.Builder delete = DeleteRangeRequest.newBuilder().setPrevKv(percent(50));
    if (percent(4)) {
      return delete.setKey(ZERO).setRangeEnd(ZERO).build(); // everything
    }
    return delete.setKey(key).setRangeEnd(rangeEnd(key)).build();
  }

  RangeRequest range() {
    ByteString key = key();
    RangeRequest.Builder range = RangeRequest.newBuilder().setKey(key).setRangeEnd(rangeEnd(key));
    if (percent(5)) {
      range.setKey(ZERO).setRangeEnd(ZERO);
    }
    if (percent(45)) {
      range.setRevision(readRevision());
    }
    if (percent(40)) {
      range.setLimit(random.nextInt(5) - 1); // -1: etcd treats a negative limit as none
    }
    if (percent(40)) {
      range.setSortOrder(RangeRequest.SortOrder.forNumber(random.nextInt(3)));
    }
    if (percent(40)) {
      range.setSortTarget(RangeRequest.SortTarget.forNumber(random.nextInt(5)));
    }
    range.setKeysOnly(percent(15)).setCountOnly(percent(10)).setSerializable(percent(20));
    long revisions = currentRevision + 1;
    if (percent(12)) {
      range.setMinModRevision(random.nextLong(revisions));
    }
    if (percent(12)) {
      range.setMaxModRevision(random.nextLong(revisions));
    }
    if (percent(12)) {
      range.setMinCreateRevision(random.nextLong(revisions));
    }
    if (percent(12)) {
      range.setMaxCreateRevision(random.nextLong(revisions));
    }
    return range.build();
  }

  private Compare compare() {
    ByteString key = key();
    Compare.Builder compare = Compare.newBuilder().setKey(key)
        .setResult(Compare.CompareResult.forNumber(random.nextInt(4)))
        .setTarget(Compare.CompareTarget.forNumber(random.nextInt(5)));
    if (percent(30)) {
      compare.setRangeEnd(rangeEnd(key));
    }
    // Mostly the operand that matches the target; sometimes a mismatched one or none at all.
    int operand = percent(85) ? compare.getTarget().getNumber() : random.nextInt(6);
    switch (operand) {
      case 0 -> compare.setVersion(random.nextInt(4));
      case 1 -> compare.setCreateRevision(random.nextLong(currentRevision + 2));
      case 2 -> compare.setModRevision(random.nextLong(currentRevision + 2));
      case 3 -> compare.setValue(value());
      case 4 -> compare.setLease(percent(50) ? 0 : lease());
      default -> { }
    }
    return compare.build();
  }

  /**
   * A random txn. One kind is never generated: a put with ignore_value/ignore_lease after a delete
   * in the same txn (possible when the delete's range end is {@code "\0"}, which etcd's
   * duplicate-key check reads as an empty interval). If the delete removed the put's key, etcd
   * 3.4 (and 3.5) fails in the middle of applying the txn and panics, so there is nothing to
   * compare with; Cairn refuses the txn with {@code etcdserver: key not found} and applies none of
   * it ({@code DifferentialScenariosTest} checks that).
   */
  TxnRequest txn(int depth) {
    TxnRequest txn = anyTxn(depth);
    return depth == 0 && hasDelete(txn) ? withoutIgnoreFlags(txn) : txn;
  }

  private static boolean hasDelete(TxnRequest txn) {
    for (List<RequestOp> branch : List.of(txn.getSuccessList(), txn.getFailureList())) {
      for (RequestOp op : branch) {
        if (op.hasRequestDeleteRange() || (op.hasRequestTxn() && hasDelete(op.getRequestTxn()))) {
          return true;
        }
      }
    }
    return false;
  }

  private static TxnRequest withoutIgnoreFlags(TxnRequest txn) {
    TxnRequest.Builder plain = txn.toBuilder().clearSuccess().clearFailure();
    txn.getSuccessList().forEach(op -> plain.addSuccess(withoutIgnoreFlags(op)));
    txn.getFailureList().forEach(op -> plain.addFailure(withoutIgnoreFlags(op)));
    return plain.build();
  }

  private static RequestOp withoutIgnoreFlags(RequestOp op) {
    if (op.hasRequestPut()) {
      return op.toBuilder().setRequestPut(op.getRequestPut().toBuilder().clearIgnoreValue().clearIgnoreLease()).build();
    }
    if (op.hasRequestTxn()) {
      return op.toBuilder().setRequestTxn(withoutIgnoreFlags(op.getRequestTxn())).build();
    }
    return op;
  }

  private TxnRequest anyTxn(int depth) {
    TxnRequest.Builder txn = TxnRequest.newBuilder();
    for (int i = random.nextInt(4); i > 0; i--) {
      txn.addCompare(compare());
    }
    for (int i = random.nextInt(4); i > 0; i--) {
      txn.addSuccess(op(depth));
    }
    for (int i = random.nextInt(3); i > 0; i--) {
      txn.addFailure(op(depth));
    }
    return txn.build();
  }

  private RequestOp op(int depth) {
    int kind = random.nextInt(depth < 2 ? 11 : 10);
    RequestOp.Builder op = RequestOp.newBuilder();
    if (kind < 3) {
      op.setRequestRange(range());
    } else if (kind < 7) {
      op.setRequestPut(put());
    } else if (kind < 10) {
      op.setRequestDeleteRange(delete());
    } else {
      op.setRequestTxn(txn(depth + 1));
    }
    return op.build();
  }

  /** A txn at etcd's default limit of 128 operations per branch, or one over it. */
  private TxnRequest oversizedTxn() {
    int ops = 128 + random.nextInt(2);
    TxnRequest.Builder txn = TxnRequest.newBuilder();
    for (int i = 0; i < ops; i++) {
      txn.addSuccess(RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder().setKey(key())));
    }
    return txn.build();
  }

  CompactionRequest compaction() {
    long low = Math.max(compactedRevision - 1, 0);
    long revision = low + random.nextLong(currentRevision + 2 - low);
    return CompactionRequest.newBuilder().setRevision(revision).setPhysical(percent(50)).build();
  }
}
