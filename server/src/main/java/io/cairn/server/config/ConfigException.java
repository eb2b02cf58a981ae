package io.cairn.server.config;

/**
 * A configuration value that cannot be used. The message names the flag and says how to fix it,
 * because it is printed to the operator as the reason the member did not start.
 */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String flag, String problem) {
    super(flag + ": " + problem);
  }
}
