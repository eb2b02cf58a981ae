package io.cairn.server.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * etcd's auth flags: {@code --auth-token} (a type, {@code simple} or {@code jwt}, then
 * {@code key=value} options: {@code jwt,pub-key=...,priv-key=...,sign-method=RS256,ttl=5m}),
 * {@code --auth-token-ttl} (seconds a simple token lives from its last use) and
 * {@code --bcrypt-cost}. The JWT keys are read when the member starts.
 */
public record AuthSettings(String tokenType, Map<String, String> tokenOptions, Duration simpleTokenTtl, int bcryptCost) {
  public static final String SIMPLE = "simple";
  public static final String JWT = "jwt";
  /** Go's bcrypt bounds and default. */
  public static final int MIN_BCRYPT_COST = 4;
  public static final int MAX_BCRYPT_COST = 31;
  public static final int DEFAULT_BCRYPT_COST = 10;

  public static AuthSettings defaults() {
    return new AuthSettings(SIMPLE, Map.of(), Duration.ofSeconds(300), DEFAULT_BCRYPT_COST);
  }

  public AuthSettings {
    tokenOptions = Map.copyOf(tokenOptions);
    if (!tokenType.equals(SIMPLE) && !tokenType.equals(JWT)) {
      throw new ConfigException("--auth-token", "auth: invalid auth options (unknown token type '" + tokenType + "')");
    }
    if (bcryptCost < MIN_BCRYPT_COST || bcryptCost > MAX_BCRYPT_COST) {
      throw new ConfigException("--bcrypt-cost", "must be between " + MIN_BCRYPT_COST + " and " + MAX_BCRYPT_COST
          + ", got " + bcryptCost);
    }
    if (simpleTokenTtl.isNegative() || simpleTokenTtl.isZero()) {
      throw new ConfigException("--auth-token-ttl", "must be positive");
    }
  }

  /** Parses {@code --auth-token} as etcd's decomposeOpts: "type,key=value,...", no key twice. */
  public static AuthSettings parse(String authToken, long ttlSeconds, int bcryptCost) {
    String[] parts = authToken.split(",", -1);
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 1; i < parts.length; i++) {
      String[] pair = parts[i].split("=", -1);
      if (pair.length != 2 || options.containsKey(pair[0])) {
        throw new ConfigException("--auth-token", "auth: invalid auth options");
      }
      options.put(pair[0], pair[1]);
    }
    return new AuthSettings(parts[0], options, Duration.ofSeconds(ttlSeconds), bcryptCost);
  }

  @Override
  public String toString() {
    return "AuthSettings[" + tokenType + ", options " + tokenOptions.keySet() + ", ttl " + simpleTokenTtl
        + ", bcrypt cost " + bcryptCost + "]";
  }
}
