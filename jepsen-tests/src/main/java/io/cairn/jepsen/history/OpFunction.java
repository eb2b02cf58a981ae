package io.cairn.jepsen.history;

/**
 * The operation a client performed. {@link #READ}, {@link #WRITE} and {@link #CAS} act on one key of
 * the {@code register} workload; {@link #TXN} is a transaction of {@link MicroOp}s of the
 * {@code append} workload; {@link #GRANT} is the {@code lease} workload's LeaseGrant for the lease
 * that will hold {@code key} (its {@code value}: the TTL granted, in seconds). {@link #ACQUIRE},
 * {@link #FENCED_WRITE} and {@link #RELEASE} belong to the {@code lock} workload: acquiring the lock
 * key {@code key} (OK: the client believes it holds the lock; {@code value} the fencing token, the lock
 * key's create_revision), a write of write id {@code value} to the resource {@code key} fenced by token
 * {@code expected}, and deleting the lock key {@code key} held with token {@code value}.
 */
public enum OpFunction {
  READ,
  WRITE,
  CAS,
  TXN,
  GRANT,
  ACQUIRE,
  FENCED_WRITE,
  RELEASE
}
