package io.cairn.server.member;

import io.cairn.api.EtcdError;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Client writes this member proposed and is waiting to see applied. The proposer registers a
 * future under the request id it stamped into the log entry; the applier completes it when the
 * entry applies (on this member, whichever member led). Anything else still waiting when the
 * member stops fails with {@link EtcdError#STOPPED}.
 */
final class PendingRequests {
  private final ConcurrentHashMap<Long, CompletableFuture<Object>> waiting = new ConcurrentHashMap<>();

  CompletableFuture<Object> register(long requestId) {
    CompletableFuture<Object> future = new CompletableFuture<>();
    if (waiting.putIfAbsent(requestId, future) != null) {
      throw new IllegalStateException("request id " + requestId + " issued twice");
    }
    return future;
  }

  /** Forgets a request whose client gave up; the entry may still apply, with nobody to answer. */
  void forget(long requestId) {
    waiting.remove(requestId);
  }

  /** Whether a client still waits for this request (it may have given up). */
  boolean isWaiting(long requestId) {
    return waiting.containsKey(requestId);
  }

  void complete(long requestId, Object response) {
    CompletableFuture<Object> future = waiting.remove(requestId);
    if (future != null) {
      future.complete(response);
    }
  }

  void fail(long requestId, Throwable error) {
    CompletableFuture<Object> future = waiting.remove(requestId);
    if (future != null) {
      future.completeExceptionally(error);
    }
  }

  void failAll(EtcdError error) {
    waiting.forEach((id, future) -> fail(id, error.exception()));
  }

  int size() {
    return waiting.size();
  }
}
