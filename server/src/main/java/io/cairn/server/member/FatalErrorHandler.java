package io.cairn.server.member;

/**
 * What happens when the member cannot go on safely (a storage I/O error, a broken invariant): a
 * standalone server halts the process; an embedded member stops. Either way nothing more is
 * persisted, sent or acknowledged, so the failure cannot turn into divergence.
 */
@FunctionalInterface
public interface FatalErrorHandler {
  void fail(String what, Throwable cause);
}
