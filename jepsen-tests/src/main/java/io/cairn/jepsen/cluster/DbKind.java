package io.cairn.jepsen.cluster;

/** Which database the cluster under test runs: Cairn, or real etcd 3.4 as the reference. */
public enum DbKind {
  CAIRN,
  ETCD
}
