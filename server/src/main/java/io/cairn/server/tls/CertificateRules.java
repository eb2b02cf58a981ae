package io.cairn.server.tls;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * etcd's extra checks on a verified peer certificate: {@code --peer-cert-allowed-cn} (the
 * subject's common name must be this one) and {@code --peer-cert-allowed-hostname} (the
 * certificate must be valid for this host name: a DNS or IP subject alternative name, wildcards
 * in the first label as Go matches them). Empty means no check.
 */
record CertificateRules(String allowedCn, String allowedHostname) {
  static final CertificateRules NONE = new CertificateRules("", "");

  void check(X509Certificate cert) throws CertificateException {
    if (!allowedCn.isEmpty()) {
      String cn = commonName(cert);
      if (!allowedCn.equals(cn)) {
        throw new CertificateException("CommonName authentication failed: got '" + cn + "', allowed '"
            + allowedCn + "'");
      }
    }
    if (!allowedHostname.isEmpty() && !validFor(cert, allowedHostname)) {
      throw new CertificateException("hostname authentication failed: certificate is not valid for '"
          + allowedHostname + "'");
    }
  }

  private static String commonName(X509Certificate cert) throws CertificateException {
    try {
      for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
        if (rdn.getType().equalsIgnoreCase("CN")) {
          return rdn.getValue().toString();
        }
      }
      return "";
    } catch (InvalidNameException e) {
      throw new CertificateException("unparseable subject " + cert.getSubjectX500Principal());
    }
  }

  private static boolean validFor(X509Certificate cert, String host) throws CertificateParsingException {
    Collection<List<?>> names = cert.getSubjectAlternativeNames();
    if (names == null) {
      return false;
    }
    boolean isIp = host.contains(":") || host.matches("[0-9.]+");
    for (List<?> name : names) {
      int type = (Integer) name.get(0);
      String value = name.get(1).toString();
      if (type == 7 && isIp && sameAddress(value, host)) {
        return true;
      }
      if (type == 2 && !isIp && dnsMatches(value.toLowerCase(Locale.ROOT), host.toLowerCase(Locale.ROOT))) {
        return true;
      }
    }
    return false;
  }

  private static boolean sameAddress(String a, String b) {
    try {
      return InetAddress.getByName(a).equals(InetAddress.getByName(b));
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static boolean dnsMatches(String pattern, String host) {
    if (pattern.startsWith("*.")) {
      int dot = host.indexOf('.');
      return dot > 0 && host.substring(dot).equals(pattern.substring(1));
    }
    return pattern.equals(host);
  }
}
