package io.cairn.server.config;

/** etcd's {@code --initial-cluster-state}: bootstrap a new cluster or join an existing one. */
public enum InitialClusterState {
  NEW,
  EXISTING;

  static InitialClusterState parse(String flagValue) {
    return switch (flagValue) {
      case "new" -> NEW;
      case "existing" -> EXISTING;
      default -> throw new ConfigException(
          "--initial-cluster-state", "must be 'new' or 'existing', got '" + flagValue + "'");
    };
  }
}
