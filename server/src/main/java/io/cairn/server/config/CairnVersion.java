package io.cairn.server.config;

import picocli.CommandLine.IVersionProvider;

/**
 * Versions this build reports. Cairn speaks the etcd 3.5 API and reports a recent 3.5 server
 * version: kube-apiserver enables RequestWatchProgress only for 3.4.31+ / 3.5.13+.
 */
public final class CairnVersion implements IVersionProvider {
  /** The version string returned in Maintenance.Status and by {@code --version} as "etcd Version". */
  public static final String ETCD_SERVER_VERSION = "3.5.17";
  /** The cluster version (major.minor.0), as etcd reports it. */
  public static final String ETCD_CLUSTER_VERSION = "3.5.0";
  public static final String CAIRN_VERSION = "0.1.0";

  @Override
  public String[] getVersion() {
    return new String[] {
        "etcd Version: " + ETCD_SERVER_VERSION,
        "Cairn Version: " + CAIRN_VERSION,
        "Java Version: " + System.getProperty("java.version"),
    };
  }
}
