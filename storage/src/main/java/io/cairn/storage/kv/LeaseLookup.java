package io.cairn.storage.kv;

/**
 * Tells the applier whether a lease exists, so a Put attaching a missing lease fails with
 * {@code LEASE_NOT_FOUND} at apply time, as in etcd. The lease subsystem supplies the real one;
 * until then {@link #ACCEPT_ALL} treats every lease id as existing.
 */
@FunctionalInterface
public interface LeaseLookup {
  LeaseLookup ACCEPT_ALL = id -> true;

  boolean exists(long leaseId);
}
