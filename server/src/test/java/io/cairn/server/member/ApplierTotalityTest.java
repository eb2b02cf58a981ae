package io.cairn.server.member;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cairn.api.etcdserverpb.PutRequest;
import io.cairn.api.etcdserverpb.PutResponse;
import io.cairn.api.etcdserverpb.RangeRequest;
import io.cairn.raft.ConfChange;
import io.cairn.raft.ConfState;
import io.cairn.raft.Entry;
import io.cairn.raft.EntryType;
import io.cairn.server.internal.ClusterMembers;
import io.cairn.server.internal.LogRequest;
import io.cairn.server.testing.EtcdClient;
import io.cairn.storage.mvcc.MvccOptions;
import io.cairn.storage.mvcc.MvccStore;
import io.cairn.storage.mvcc.StorageException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Apply is total: a committed entry that does not decode, or that the state machine throws on,
 * is recorded as applied without changes and answered with an error, and the entries after it
 * apply; only a storage failure stops the member.
 */
class ApplierTotalityTest {
  private static final long MEMBER = 7;
  private static final long TERM = 2;

  @TempDir Path dir;
  private MvccStore store;
  private final PendingRequests pending = new PendingRequests();
  private final List<String> fatal = new ArrayList<>();

  @BeforeEach
  void open() {
    store = MvccStore.open(dir.resolve("db"), MvccOptions.defaults());
  }

  @AfterEach
  void close() {
    store.close();
  }

  /** The real state machine, except that a put of {@code key} throws {@code failure}: a bug the checks missed. */
  private StateMachine failingOn(String key, RuntimeException failure) {
    KvStateMachine real = new KvStateMachine(store, 128);
    return new StateMachine() {
      @Override public AppliedPoint applied() { return real.applied(); }
      @Override public Object apply(long index, long term, LogRequest request) {
        if (request.getPut().getKey().toStringUtf8().equals(key)) {
          throw failure;
        }
        return real.apply(index, term, request);
      }
      @Override public void applyEmpty(long index, long term) { real.applyEmpty(index, term); }
      @Override public void applyConfChange(long index, long term, ConfChange c, ConfState after) {
        real.applyConfChange(index, term, c, after);
      }
      @Override public ClusterMembers members() { return real.members(); }
      @Override public void bootstrap(ClusterMembers members) { real.bootstrap(members); }
      @Override public boolean hasIdleWork() { return false; }
      @Override public void doIdleWork() { }
      @Override public void flush() { real.flush(); }
      @Override public void checkpoint(Path d) { real.checkpoint(d); }
      @Override public void installSnapshot(Path checkpoint) { real.installSnapshot(checkpoint); }
      @Override public void close() { }
    };
  }

  private static Entry put(long index, long requestId, String key) {
    LogRequest request = LogRequest.newBuilder().setProposerId(MEMBER).setRequestId(requestId)
        .setPut(PutRequest.newBuilder().setKey(EtcdClient.bytes(key)).setValue(EtcdClient.bytes("v"))).build();
    return new Entry(TERM, index, EntryType.NORMAL, request.toByteArray());
  }

  /** Applies {@code entries} as one committed batch, on this thread, until the applier has drained its queue. */
  private Applier applyAll(StateMachine machine, List<Entry> entries) {
    Applier applier = new Applier(MEMBER, machine, pending, new LinearizableReads(0, () -> { }),
        (what, cause) -> fatal.add(what + ": " + cause));
    applier.submit(new Applier.Batch(entries, List.of()));
    applier.stop();
    applier.run();
    return applier;
  }

  private boolean stored(String key) {
    return store.range(RangeRequest.newBuilder().setKey(EtcdClient.bytes(key)).build()).getCount() == 1;
  }

  @Test
  void entriesThatCannotApplyAreAnsweredAndTheRestApply() throws Exception {
    CompletableFuture<Object> first = pending.register(1);
    CompletableFuture<Object> bug = pending.register(3);
    CompletableFuture<Object> last = pending.register(4);
    byte[] garbage = {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01};
    Applier applier = applyAll(failingOn("bug", new IllegalStateException("a planted bug")), List.of(
        new Entry(TERM, 1, EntryType.NORMAL, garbage),
        put(2, 1, "first"),
        put(3, 3, "bug"),
        put(4, 4, "last")));

    assertEquals(List.of(), fatal, "the member must not stop");
    assertEquals(4, applier.appliedIndex());
    assertEquals(4, store.appliedIndex(), "the failed entries are recorded as applied too");
    assertTrue(stored("first") && stored("last"));
    assertFalse(stored("bug"));
    assertEquals(2, ((PutResponse) first.get()).getHeader().getRevision());
    ExecutionException e = assertThrows(ExecutionException.class, bug::get);
    assertEquals(Status.Code.INTERNAL, ((StatusRuntimeException) e.getCause()).getStatus().getCode());
    assertEquals(3, ((PutResponse) last.get()).getHeader().getRevision(), "the failed entry made no revision");
  }

  @Test
  void aStorageFailureStopsTheMember() {
    Applier applier = applyAll(failingOn("disk", new StorageException("write failed", null)), List.of(
        put(1, 1, "before"),
        put(2, 2, "disk"),
        put(3, 3, "after")));

    assertEquals(1, fatal.size(), fatal.toString());
    assertEquals(1, applier.appliedIndex());
    assertTrue(stored("before"));
    assertFalse(stored("after"), "nothing applies after a storage failure");
  }
}
