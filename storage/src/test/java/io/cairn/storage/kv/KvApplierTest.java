package io.cairn.storage.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.cairn.api.EtcdError;
import io.cairn.api.EtcdException;
import io.cairn.api.etcdserverpb.CompactionRequest;
import io.cairn.api.etcdserverpb.Compare;
import io.cairn.api.etcdserverpb.DeleteRangeRequest;
import io.cairn.api.etcdserverpb.DeleteRangeResponse;
import io.cairn.api.etcdserverpb.PutRequest;
import io.cairn.api.etcdserverpb.PutResponse;
import io.cairn.api.etcdserverpb.RangeRequest;
import io.cairn.api.etcdserverpb.RequestOp;
import io.cairn.api.etcdserverpb.ResponseHeader;
import io.cairn.api.etcdserverpb.TxnRequest;
import io.cairn.api.etcdserverpb.TxnResponse;
import io.cairn.api.mvccpb.Event;
import io.cairn.storage.mvcc.MvccOptions;
import io.cairn.storage.mvcc.MvccStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KvApplierTest {
  private static final long MISSING_LEASE = 99;

  @TempDir
  Path dir;
  private MvccStore store;
  private KvApplier applier;
  private long index;

  @BeforeEach
  void open() {
    store = MvccStore.open(dir, MvccOptions.defaults().withBlockCacheBytes(1 << 20).withWriteBufferBytes(1 << 20));
    applier = new KvApplier(store, lease -> lease != MISSING_LEASE, 4);
  }

  @AfterEach
  void close() {
    store.close();
  }

  private static ByteString bs(String s) {
    return ByteString.copyFrom(s, StandardCharsets.ISO_8859_1);
  }

  private PutResponse put(PutRequest r) {
    return applier.put(++index, 1, r).response();
  }

  private PutResponse put(String key, String value) {
    return put(PutRequest.newBuilder().setKey(bs(key)).setValue(bs(value)).build());
  }

  private TxnResponse txn(TxnRequest r) {
    return applier.txn(++index, 1, r).response();
  }

  private static RequestOp putOp(String key, String value) {
    return RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(bs(key)).setValue(bs(value))).build();
  }

  private static RequestOp deleteOp(String key, String end) {
    return RequestOp.newBuilder().setRequestDeleteRange(
        DeleteRangeRequest.newBuilder().setKey(bs(key)).setRangeEnd(bs(end))).build();
  }

  private static RequestOp rangeOp(String key) {
    return RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder().setKey(bs(key))).build();
  }

  private static RequestOp txnOp(TxnRequest t) {
    return RequestOp.newBuilder().setRequestTxn(t).build();
  }

  private static Compare versionIs(String key, long version) {
    return Compare.newBuilder().setKey(bs(key)).setTarget(Compare.CompareTarget.VERSION)
        .setResult(Compare.CompareResult.EQUAL).setVersion(version).build();
  }

  private static EtcdError error(org.junit.jupiter.api.function.Executable call) {
    return assertThrows(EtcdException.class, call).error();
  }

  @Test
  void putReturnsPreviousValueAndNewRevision() {
    assertFalse(put(PutRequest.newBuilder().setKey(bs("a")).setValue(bs("1")).setPrevKv(true).build()).hasPrevKv());
    PutResponse second = put(PutRequest.newBuilder().setKey(bs("a")).setValue(bs("2")).setPrevKv(true).build());
    assertEquals(bs("1"), second.getPrevKv().getValue());
    assertEquals(3, second.getHeader().getRevision());
  }

  @Test
  void ignoreValueAndIgnoreLeaseKeepWhatIsStored() {
    put(PutRequest.newBuilder().setKey(bs("a")).setValue(bs("keep")).setLease(5).build());
    put(PutRequest.newBuilder().setKey(bs("a")).setIgnoreValue(true).setLease(6).build());
    put(PutRequest.newBuilder().setKey(bs("a")).setValue(bs("new")).setIgnoreLease(true).build());
    var kv = store.range(RangeRequest.newBuilder().setKey(bs("a")).build()).getKvs(0);
    assertEquals(bs("new"), kv.getValue());
    assertEquals(6, kv.getLease());
    assertEquals(3, kv.getVersion());
  }

  @Test
  void putErrorsChangeNothingButRecordTheIndex() {
    assertEquals(EtcdError.KEY_NOT_FOUND, error(() -> put(PutRequest.newBuilder().setKey(bs("x")).setIgnoreValue(true).build())));
    assertEquals(EtcdError.VALUE_PROVIDED, error(() -> put(PutRequest.newBuilder().setKey(bs("x")).setValue(bs("v")).setIgnoreValue(true).build())));
    assertEquals(EtcdError.LEASE_PROVIDED, error(() -> put(PutRequest.newBuilder().setKey(bs("x")).setLease(1).setIgnoreLease(true).build())));
    assertEquals(EtcdError.LEASE_NOT_FOUND, error(() -> put(PutRequest.newBuilder().setKey(bs("x")).setLease(MISSING_LEASE).build())));
    assertEquals(EtcdError.EMPTY_KEY, error(() -> put("", "v")));
    assertEquals(1, store.currentRevision());
    assertEquals(5, store.appliedIndex());
  }

  @Test
  void replayedEntriesAreSkipped() {
    put("a", "1");
    ApplyResult<PutResponse> replay = applier.put(index, 1, PutRequest.newBuilder().setKey(bs("a")).setValue(bs("2")).build());
    assertTrue(replay.alreadyApplied());
    assertEquals(2, store.currentRevision());
  }

  @Test
  void deleteRangeCountsAndReturnsPrevious() {
    put("a", "1");
    put("ab", "2");
    put("b", "3");
    DeleteRangeResponse none = applier.deleteRange(++index, 1, DeleteRangeRequest.newBuilder().setKey(bs("x")).build()).response();
    assertEquals(0, none.getDeleted());
    assertEquals(4, none.getHeader().getRevision(), "deleting nothing keeps the revision");
    DeleteRangeResponse two = applier.deleteRange(++index, 1,
        DeleteRangeRequest.newBuilder().setKey(bs("a")).setRangeEnd(bs("b")).setPrevKv(true).build()).response();
    assertEquals(2, two.getDeleted());
    assertEquals(List.of(bs("1"), bs("2")), two.getPrevKvsList().stream().map(kv -> kv.getValue()).toList());
    assertEquals(5, two.getHeader().getRevision());
    // Both deletions share revision 5 with sub revisions 0 and 1.
    List<Event> events = store.events(5, 5, 10);
    assertEquals(List.of(bs("a"), bs("ab")), events.stream().map(e -> e.getKv().getKey()).toList());
  }

  @Test
  void txnComparesOnMissingKeys() {
    // A missing key has version/create/mod/lease 0, but a VALUE compare on it always fails.
    assertTrue(txn(TxnRequest.newBuilder().addCompare(versionIs("missing", 0)).build()).getSucceeded());
    Compare emptyValue = Compare.newBuilder().setKey(bs("missing")).setTarget(Compare.CompareTarget.VALUE)
        .setResult(Compare.CompareResult.EQUAL).setValue(ByteString.EMPTY).build();
    assertFalse(txn(TxnRequest.newBuilder().addCompare(emptyValue).build()).getSucceeded());
  }

  @Test
  void txnCompareOverARangeNeedsEveryKey() {
    put("p/a", "1");
    put("p/b", "1");
    put("p/b", "2");
    Compare allVersionOne = versionIs("p/", 1).toBuilder().setRangeEnd(bs("p0")).build();
    assertFalse(txn(TxnRequest.newBuilder().addCompare(allVersionOne).build()).getSucceeded());
    Compare allAboveZero = allVersionOne.toBuilder().setResult(Compare.CompareResult.GREATER).setVersion(0).build();
    assertTrue(txn(TxnRequest.newBuilder().addCompare(allAboveZero).build()).getSucceeded());
  }

  @Test
  void txnWritesShareOneRevisionAndLaterReadsSeeThem() {
    put("a", "0");
    KvApplier defaults = new KvApplier(store);
    TxnResponse r = defaults.txn(++index, 1, TxnRequest.newBuilder()
        .addCompare(versionIs("a", 1))
        .addSuccess(rangeOp("b"))
        .addSuccess(putOp("b", "new"))
        .addSuccess(rangeOp("b"))
        .addSuccess(deleteOp("a", ""))
        .addSuccess(txnOp(TxnRequest.newBuilder().addCompare(versionIs("a", 1)).addSuccess(rangeOp("a")).build()))
        .build()).response();
    assertTrue(r.getSucceeded());
    assertEquals(3, r.getHeader().getRevision());
    assertEquals(2, r.getResponses(0).getResponseRange().getHeader().getRevision(), "read before any write");
    assertEquals(0, r.getResponses(0).getResponseRange().getCount());
    assertEquals(3, r.getResponses(1).getResponsePut().getHeader().getRevision());
    assertEquals(bs("new"), r.getResponses(2).getResponseRange().getKvs(0).getValue(), "sees the txn's own put");
    assertEquals(1, r.getResponses(3).getResponseDeleteRange().getDeleted());
    TxnResponse nested = r.getResponses(4).getResponseTxn();
    assertTrue(nested.getSucceeded(), "nested compares see the store as it was before the txn");
    assertEquals(ResponseHeader.getDefaultInstance(), nested.getHeader());
    assertEquals(0, nested.getResponses(0).getResponseRange().getCount(), "but nested reads see the delete");
    assertEquals(3, store.currentRevision());
  }

  @Test
  void readOnlyTxnDoesNotBumpTheRevision() {
    put("a", "1");
    TxnRequest readOnly = TxnRequest.newBuilder().addSuccess(rangeOp("a")).build();
    assertTrue(KvApplier.isReadOnly(readOnly));
    TxnResponse viaLog = txn(readOnly);
    assertEquals(viaLog, applier.readOnlyTxn(readOnly));
    assertEquals(2, viaLog.getHeader().getRevision());
    assertFalse(KvApplier.isReadOnly(TxnRequest.newBuilder().addFailure(txnOp(readOnly)).build()));
  }

  @Test
  void duplicateKeyRules() {
    assertEquals(EtcdError.DUPLICATE_KEY, error(() -> txn(TxnRequest.newBuilder()
        .addSuccess(putOp("a", "1")).addSuccess(putOp("a", "2")).build())));
    assertEquals(EtcdError.DUPLICATE_KEY, error(() -> txn(TxnRequest.newBuilder()
        .addSuccess(deleteOp("a", "c")).addSuccess(putOp("b", "2")).build())));
    assertEquals(EtcdError.DUPLICATE_KEY, error(() -> txn(TxnRequest.newBuilder()
        .addSuccess(putOp("b", "1"))
        .addSuccess(txnOp(TxnRequest.newBuilder().addSuccess(deleteOp("b", "")).build())).build())));
    // Allowed: the two branches of one nested txn, overlapping deletes, puts in the other top-level branch.
    txn(TxnRequest.newBuilder()
        .addSuccess(txnOp(TxnRequest.newBuilder().addSuccess(putOp("a", "1")).addFailure(putOp("a", "2")).build()))
        .addSuccess(deleteOp("x", "z")).addSuccess(deleteOp("y", ""))
        .addFailure(putOp("x", "3")).build());
    // Like etcd, a delete with range_end "\0" is not seen as overlapping a put: both happen,
    // at the same revision with increasing sub revisions.
    TxnResponse quirk = txn(TxnRequest.newBuilder().addSuccess(putOp("k", "1")).addSuccess(deleteOp("k", "\0")).build());
    assertEquals(1, quirk.getResponses(1).getResponseDeleteRange().getDeleted());
    assertEquals(0, store.range(RangeRequest.newBuilder().setKey(bs("k")).build()).getCount());
  }

  @Test
  void tooManyOpsCountsNestedTxnsAgainstTheRemainder() {
    TxnRequest.Builder five = TxnRequest.newBuilder();
    for (int i = 0; i < 5; i++) {
      five.addSuccess(rangeOp("k" + i));
    }
    assertEquals(EtcdError.TOO_MANY_OPS, error(() -> txn(five.build())));
    TxnRequest two = TxnRequest.newBuilder().addSuccess(rangeOp("a")).addSuccess(rangeOp("b")).build();
    // Outer uses 3 of 4, leaving 1 for the nested txn, which has 2.
    assertEquals(EtcdError.TOO_MANY_OPS, error(() -> txn(TxnRequest.newBuilder()
        .addSuccess(txnOp(two)).addSuccess(rangeOp("c")).addSuccess(rangeOp("d")).build())));
    assertEquals(EtcdError.KEY_NOT_FOUND, error(() -> txn(TxnRequest.newBuilder()
        .addSuccess(RequestOp.getDefaultInstance()).build())), "an empty operation");
  }

  @Test
  void txnChecksRunBeforeAnythingChanges() {
    put("a", "1");
    assertEquals(EtcdError.KEY_NOT_FOUND, error(() -> txn(TxnRequest.newBuilder()
        .addSuccess(putOp("b", "1"))
        .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(bs("c")).setIgnoreValue(true)))
        .build())));
    assertEquals(EtcdError.FUTURE_REVISION, error(() -> txn(TxnRequest.newBuilder()
        .addSuccess(putOp("b", "1"))
        .addSuccess(RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder().setKey(bs("a")).setRevision(50)))
        .build())));
    assertEquals(2, store.currentRevision());
    assertEquals(0, store.range(RangeRequest.newBuilder().setKey(bs("b")).build()).getCount());
  }

  @Test
  void compactReportsEtcdsErrors() {
    put("a", "1");
    put("a", "2");
    var response = applier.compact(++index, 1, CompactionRequest.newBuilder().setRevision(2).build()).response();
    assertEquals(3, response.getHeader().getRevision());
    assertEquals(EtcdError.COMPACTED, error(() -> applier.compact(++index, 1, CompactionRequest.newBuilder().setRevision(2).build())));
    assertEquals(EtcdError.FUTURE_REVISION, error(() -> applier.compact(++index, 1, CompactionRequest.newBuilder().setRevision(4).build())));
    assertEquals(index, store.appliedIndex());
  }
}
