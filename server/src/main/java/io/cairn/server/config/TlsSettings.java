package io.cairn.server.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One side's transport security, as etcd's flags give it: the client side ({@code --cert-file},
 * {@code --key-file}, {@code --trusted-ca-file}, {@code --client-cert-auth},
 * {@code --client-crl-file}, {@code --auto-tls}) or the peer side (the {@code --peer-*}
 * equivalents, plus {@code --peer-cert-allowed-cn} and {@code --peer-cert-allowed-hostname}).
 * {@code --cipher-suites}, {@code --tls-min-version}, {@code --tls-max-version} and
 * {@code --self-signed-cert-validity} apply to both sides, as in etcd. Immutable and validated
 * when built; {@link #NONE} is "no TLS flags at all".
 */
public final class TlsSettings {
  /** etcd 3.5's {@code --tls-min-version} default. */
  public static final String DEFAULT_MIN_VERSION = "TLS1.2";
  /** The versions etcd 3.5 accepts by name; empty text means "the library's choice". */
  public static final List<String> VERSIONS = List.of("TLS1.0", "TLS1.1", "TLS1.2", "TLS1.3");
  public static final TlsSettings NONE = builder("").build();

  private final String flagPrefix;
  private final Path certFile;
  private final Path keyFile;
  private final Path trustedCaFile;
  private final boolean clientCertAuth;
  private final Path crlFile;
  private final boolean autoTls;
  private final String allowedCn;
  private final String allowedHostname;
  private final List<String> cipherSuites;
  private final String minVersion;
  private final String maxVersion;
  private final int selfSignedCertValidityYears;

  private TlsSettings(Builder b) {
    this.flagPrefix = b.flagPrefix;
    this.certFile = b.certFile;
    this.keyFile = b.keyFile;
    this.trustedCaFile = b.trustedCaFile;
    this.clientCertAuth = b.clientCertAuth;
    this.crlFile = b.crlFile;
    this.autoTls = b.autoTls;
    this.allowedCn = b.allowedCn;
    this.allowedHostname = b.allowedHostname;
    this.cipherSuites = List.copyOf(b.cipherSuites);
    this.minVersion = b.minVersion;
    this.maxVersion = b.maxVersion;
    this.selfSignedCertValidityYears = b.selfSignedCertValidityYears;
    validate();
  }

  private void validate() {
    if ((certFile == null) != (keyFile == null)) {
      throw new ConfigException(certFile == null ? "--" + flagPrefix + "cert-file" : "--" + flagPrefix + "key-file",
          "--" + flagPrefix + "cert-file and --" + flagPrefix + "key-file must be given together");
    }
    if (!minVersion.isEmpty() && !VERSIONS.contains(minVersion)) {
      throw new ConfigException("--tls-min-version", "unexpected TLS version \"" + minVersion
          + "\" (must be one of: " + String.join(", ", VERSIONS) + ")");
    }
    if (!maxVersion.isEmpty() && !VERSIONS.contains(maxVersion)) {
      throw new ConfigException("--tls-max-version", "unexpected TLS version \"" + maxVersion
          + "\" (must be one of: " + String.join(", ", VERSIONS) + ")");
    }
    if (!maxVersion.isEmpty() && !minVersion.isEmpty() && VERSIONS.indexOf(minVersion) > VERSIONS.indexOf(maxVersion)) {
      throw new ConfigException("--tls-min-version", "min version (" + minVersion + ") is greater than max version ("
          + maxVersion + ")");
    }
    if (minVersion.equals("TLS1.3") && !cipherSuites.isEmpty()) {
      throw new ConfigException("--cipher-suites",
          "cipher suites cannot be configured when only TLS1.3 or greater is supported");
    }
    for (String suite : cipherSuites) {
      if (!CipherSuiteNames.isKnown(suite)) {
        throw new ConfigException("--cipher-suites", "unexpected TLS cipher suite \"" + suite + "\"");
      }
    }
    if (selfSignedCertValidityYears <= 0) {
      throw new ConfigException("--self-signed-cert-validity", "must be at least 1 (years), got "
          + selfSignedCertValidityYears);
    }
  }

  public static Builder builder(String flagPrefix) {
    return new Builder(flagPrefix);
  }

  /** A builder holding this object's values (to change one of them). */
  public Builder toBuilder() {
    Builder b = new Builder(flagPrefix);
    b.certFile = certFile;
    b.keyFile = keyFile;
    b.trustedCaFile = trustedCaFile;
    b.clientCertAuth = clientCertAuth;
    b.crlFile = crlFile;
    b.autoTls = autoTls;
    b.allowedCn = allowedCn;
    b.allowedHostname = allowedHostname;
    b.cipherSuites = cipherSuites;
    b.minVersion = minVersion;
    b.maxVersion = maxVersion;
    b.selfSignedCertValidityYears = selfSignedCertValidityYears;
    return b;
  }

  /** "" for the client side, "peer-" for the peer side: how this side's flags are named. */
  public String flagPrefix() { return flagPrefix; }
  public Optional<Path> certFile() { return Optional.ofNullable(certFile); }
  public Optional<Path> keyFile() { return Optional.ofNullable(keyFile); }
  public Optional<Path> trustedCaFile() { return Optional.ofNullable(trustedCaFile); }
  public boolean clientCertAuth() { return clientCertAuth; }
  public Optional<Path> crlFile() { return Optional.ofNullable(crlFile); }
  public boolean autoTls() { return autoTls; }
  /** Empty: any common name. */
  public String allowedCn() { return allowedCn; }
  /** Empty: any host name. */
  public String allowedHostname() { return allowedHostname; }
  /** IANA (Go) names; empty means the library's defaults. */
  public List<String> cipherSuites() { return cipherSuites; }
  public String minVersion() { return minVersion; }
  /** Empty: the highest the library supports. */
  public String maxVersion() { return maxVersion; }
  public int selfSignedCertValidityYears() { return selfSignedCertValidityYears; }

  /** Whether a key pair was given on the command line (etcd's "TLS info is not empty"). */
  public boolean hasKeyPair() {
    return certFile != null;
  }

  /**
   * Whether the server side asks for and verifies client certificates: as etcd, when
   * {@code --client-cert-auth} is set or a trusted CA file is given.
   */
  public boolean requiresClientCertificates() {
    return hasKeyPair() && (clientCertAuth || trustedCaFile != null);
  }

  @Override
  public String toString() {
    // File names only: never the content of a key.
    return "TlsSettings{" + flagPrefix + "cert=" + certFile + ", key=" + keyFile + ", ca=" + trustedCaFile
        + ", clientCertAuth=" + clientCertAuth + ", crl=" + crlFile + ", autoTls=" + autoTls + "}";
  }

  /** Collects values; {@link #build()} validates. */
  public static final class Builder {
    private final String flagPrefix;
    private Path certFile;
    private Path keyFile;
    private Path trustedCaFile;
    private boolean clientCertAuth;
    private Path crlFile;
    private boolean autoTls;
    private String allowedCn = "";
    private String allowedHostname = "";
    private List<String> cipherSuites = List.of();
    private String minVersion = DEFAULT_MIN_VERSION;
    private String maxVersion = "";
    private int selfSignedCertValidityYears = 1;

    private Builder(String flagPrefix) {
      this.flagPrefix = Objects.requireNonNull(flagPrefix);
    }

    public Builder certFile(Path v) { certFile = v; return this; }
    public Builder keyFile(Path v) { keyFile = v; return this; }
    public Builder trustedCaFile(Path v) { trustedCaFile = v; return this; }
    public Builder clientCertAuth(boolean v) { clientCertAuth = v; return this; }
    public Builder crlFile(Path v) { crlFile = v; return this; }
    public Builder autoTls(boolean v) { autoTls = v; return this; }
    public Builder allowedCn(String v) { allowedCn = Objects.requireNonNull(v); return this; }
    public Builder allowedHostname(String v) { allowedHostname = Objects.requireNonNull(v); return this; }
    public Builder cipherSuites(List<String> v) { cipherSuites = Objects.requireNonNull(v); return this; }
    public Builder minVersion(String v) { minVersion = Objects.requireNonNull(v); return this; }
    public Builder maxVersion(String v) { maxVersion = Objects.requireNonNull(v); return this; }
    public Builder selfSignedCertValidityYears(int v) { selfSignedCertValidityYears = v; return this; }

    public TlsSettings build() {
      return new TlsSettings(this);
    }
  }
}
