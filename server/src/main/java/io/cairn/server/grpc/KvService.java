package io.cairn.server.grpc;

import io.cairn.api.etcdserverpb.CompactionRequest;
import io.cairn.api.etcdserverpb.CompactionResponse;
import io.cairn.api.etcdserverpb.DeleteRangeRequest;
import io.cairn.api.etcdserverpb.DeleteRangeResponse;
import io.cairn.api.etcdserverpb.KVGrpc;
import io.cairn.api.etcdserverpb.PutRequest;
import io.cairn.api.etcdserverpb.PutResponse;
import io.cairn.api.etcdserverpb.RangeRequest;
import io.cairn.api.etcdserverpb.RangeResponse;
import io.cairn.api.etcdserverpb.RequestOp;
import io.cairn.api.etcdserverpb.TxnRequest;
import io.cairn.api.etcdserverpb.TxnResponse;
import io.cairn.server.auth.CallAuth;
import io.cairn.server.internal.LogRequest;
import io.cairn.server.member.Member;
import io.cairn.storage.kv.KvApplier;
import io.cairn.storage.kv.RequestValidator;
import io.cairn.storage.mvcc.MvccStore;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * etcd's KV service. Writes are validated here (so an invalid request never enters the log), then
 * proposed through raft and answered when they apply on this member. Ranges are linearizable by
 * default (a ReadIndex barrier, then a read of the local store) and served from the local store
 * at once when {@code serializable} is set.
 */
public final class KvService extends KVGrpc.KVImplBase {
  private final Member member;
  private final MvccStore store;
  private final KvApplier kv;
  private final HeaderFactory headers;
  private final Executor reads;
  private final int maxTxnOps;
  private final Supplier<CompletableFuture<Void>> compactionDone;

  /**
   * @param reads where reads run once their barrier passes: never the apply thread, which
   *     completes the barrier
   */
  public KvService(Member member, MvccStore store, KvApplier kv, HeaderFactory headers, Executor reads,
      int maxTxnOps, Supplier<CompletableFuture<Void>> compactionDone) {
    this.member = member;
    this.kv = kv;
    this.compactionDone = compactionDone;
    this.store = store;
    this.headers = headers;
    this.reads = reads;
    this.maxTxnOps = maxTxnOps;
  }

  @Override
  public void range(RangeRequest request, StreamObserver<RangeResponse> observer) {
    try {
      RequestValidator.checkRange(request);
    } catch (RuntimeException e) {
      observer.onError(Replies.toStatus(e));
      return;
    }
    CompletableFuture<Void> barrier = request.getSerializable()
        ? CompletableFuture.completedFuture(null)
        : member.linearizableReadBarrier();
    Replies.async(observer, barrier.thenApplyAsync(ignored -> store.range(request), reads),
        response -> response.toBuilder().setHeader(headers.complete(response.getHeader())).build());
  }

  @Override
  public void put(PutRequest request, StreamObserver<PutResponse> observer) {
    propose(observer, () -> {
      RequestValidator.checkPut(request);
      return LogRequest.newBuilder().setPut(request);
    }, (PutResponse r) -> r.toBuilder().setHeader(headers.complete(r.getHeader())).build());
  }

  @Override
  public void deleteRange(DeleteRangeRequest request, StreamObserver<DeleteRangeResponse> observer) {
    propose(observer, () -> {
      RequestValidator.checkDeleteRange(request);
      return LogRequest.newBuilder().setDeleteRange(request);
    }, (DeleteRangeResponse r) -> r.toBuilder().setHeader(headers.complete(r.getHeader())).build());
  }

  @Override
  public void txn(TxnRequest request, StreamObserver<TxnResponse> observer) {
    if (KvApplier.isReadOnly(request)) {
      // As etcd: a txn of ranges only is a read; it skips the log and takes the read barrier
      // unless every range in it is serializable.
      CompletableFuture<Void> barrier = allSerializable(request)
          ? CompletableFuture.completedFuture(null)
          : member.linearizableReadBarrier();
      Replies.async(observer, barrier.thenApplyAsync(ignored -> kv.readOnlyTxn(request), reads),
          r -> r.toBuilder().setHeader(headers.complete(r.getHeader())).build());
      return;
    }
    propose(observer, () -> {
      RequestValidator.checkTxn(request, maxTxnOps);
      return LogRequest.newBuilder().setTxn(request);
    }, (TxnResponse r) -> r.toBuilder().setHeader(headers.complete(r.getHeader())).build());
  }

  @Override
  public void compact(CompactionRequest request, StreamObserver<CompactionResponse> observer) {
    LogRequest.Builder log = LogRequest.newBuilder().setCompaction(request);
    CompletableFuture<Object> applied = CallAuth.current().propose(member, log);
    cancelWhenClientLeaves(observer, applied);
    if (request.getPhysical()) {
      // etcd answers a physical compaction only once the old revisions are gone from disk.
      applied = applied.thenCompose(r -> compactionDone.get().thenApply(done -> r));
    }
    Replies.async(observer, applied,
        r -> ((CompactionResponse) r).toBuilder().setHeader(headers.complete(((CompactionResponse) r).getHeader())).build());
  }

  /** A client that cancels or passes its deadline abandons its write (see Member#propose). */
  private static void cancelWhenClientLeaves(StreamObserver<?> observer, CompletableFuture<?> future) {
    if (observer instanceof ServerCallStreamObserver<?> call) {
      call.setOnCancelHandler(() -> future.cancel(false));
    }
  }

  private static boolean allSerializable(TxnRequest request) {
    for (RequestOp op : request.getSuccessList()) {
      if (!op.getRequestRange().getSerializable()) {
        return false;
      }
    }
    for (RequestOp op : request.getFailureList()) {
      if (!op.getRequestRange().getSerializable()) {
        return false;
      }
    }
    return true;
  }

  /** Validates and proposes; the applied response is completed with this member's header. */
  private <T> void propose(StreamObserver<T> observer, Supplier<LogRequest.Builder> build,
      Function<T, T> finish) {
    LogRequest.Builder request;
    try {
      request = CallAuth.current().stamp(build.get());
    } catch (RuntimeException e) {
      observer.onError(Replies.toStatus(e));
      return;
    }
    CompletableFuture<Object> proposed = member.propose(request);
    cancelWhenClientLeaves(observer, proposed);
    @SuppressWarnings("unchecked")
    CompletableFuture<T> applied = proposed.thenApply(r -> (T) r);
    Replies.async(observer, applied, finish);
  }
}
