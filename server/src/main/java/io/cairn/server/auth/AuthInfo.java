package io.cairn.server.auth;

/**
 * Who a request comes from, as a token resolved it (etcd's AuthInfo): the user and the auth
 * revision the token stands for. {@link #NONE} (empty name, revision 0) is a request without a
 * token, which etcd refuses with "user name is empty" while auth is enabled.
 */
public record AuthInfo(String userName, long revision) {
  public static final AuthInfo NONE = new AuthInfo("", 0);
}
