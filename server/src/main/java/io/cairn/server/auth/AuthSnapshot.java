package io.cairn.server.auth;

import com.google.protobuf.ByteString;
import io.cairn.api.EtcdError;
import io.cairn.api.authpb.Permission;
import io.cairn.api.authpb.Role;
import io.cairn.api.authpb.User;
import io.cairn.server.internal.AuthStoreState;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One immutable state of the auth store, with the per-user merged permissions (etcd's
 * rangePermCache) built once per change. Readers on any thread take the current snapshot and
 * check against it; the apply thread replaces it after each auth change.
 *
 * <p>The checks are etcd's isOpPermitted and IsAdminPermitted, in etcd's order, so that the same
 * request meets the same error.
 */
final class AuthSnapshot {
  static final String ROOT = "root";

  private final AuthStoreState state;
  /** By name, in byte order of the names (etcd lists users and roles in bolt's key order). */
  private final TreeMap<String, User> users = new TreeMap<>(AuthSnapshot::byteOrder);
  private final TreeMap<String, Role> roles = new TreeMap<>(AuthSnapshot::byteOrder);
  private final Map<String, RangePermissions> permissions = new HashMap<>();

  AuthSnapshot(AuthStoreState state) {
    this.state = state;
    for (User u : state.getUsersList()) {
      users.put(u.getName().toStringUtf8(), u);
    }
    for (Role r : state.getRolesList()) {
      roles.put(r.getName().toStringUtf8(), r);
    }
    for (User u : users.values()) {
      List<Permission> merged = new ArrayList<>();
      for (String roleName : u.getRolesList()) {
        Role role = roles.get(roleName);
        if (role != null) {
          merged.addAll(role.getKeyPermissionList());
        }
      }
      permissions.put(u.getName().toStringUtf8(), RangePermissions.of(merged));
    }
  }

  static AuthSnapshot empty() {
    return new AuthSnapshot(AuthStoreState.newBuilder().setRevision(1).build());
  }

  AuthStoreState state() {
    return state;
  }

  boolean enabled() {
    return state.getEnabled();
  }

  long revision() {
    return state.getRevision();
  }

  User user(String name) {
    return users.get(name);
  }

  Role role(String name) {
    return roles.get(name);
  }

  List<String> userNames() {
    return List.copyOf(users.keySet());
  }

  List<String> roleNames() {
    return List.copyOf(roles.keySet());
  }

  static boolean hasRootRole(User user) {
    return Collections.binarySearch(user.getRolesList(), ROOT) >= 0;
  }

  boolean hasRole(String userName, String role) {
    User u = users.get(userName);
    return u != null && u.getRolesList().contains(role);
  }

  /** etcd's isOpPermitted: throws the error etcd gives, or returns when the operation may go ahead. */
  void checkOp(AuthInfo who, ByteString key, ByteString rangeEnd, boolean forWrite) {
    if (!enabled()) {
      return;
    }
    if (who.revision() == 0) {
      throw EtcdError.USER_EMPTY.exception();
    }
    if (who.revision() < revision()) {
      throw EtcdError.AUTH_OLD_REVISION.exception();
    }
    User user = users.get(who.userName());
    if (user == null) {
      throw EtcdError.PERMISSION_DENIED.exception();
    }
    if (hasRootRole(user)) {
      return;
    }
    RangePermissions granted = permissions.get(who.userName());
    if (granted == null || !granted.permits(key, rangeEnd, forWrite)) {
      throw EtcdError.PERMISSION_DENIED.exception();
    }
  }

  void checkRead(AuthInfo who, ByteString key, ByteString rangeEnd) {
    checkOp(who, key, rangeEnd, false);
  }

  void checkWrite(AuthInfo who, ByteString key, ByteString rangeEnd) {
    checkOp(who, key, rangeEnd, true);
  }

  /** etcd's IsAdminPermitted: the user must have the root role (no revision check, as etcd). */
  void checkAdmin(AuthInfo who) {
    if (!enabled()) {
      return;
    }
    if (who.userName().isEmpty()) {
      throw EtcdError.USER_EMPTY.exception();
    }
    User user = users.get(who.userName());
    if (user == null) {
      throw EtcdError.USER_NOT_FOUND.exception();
    }
    if (!hasRootRole(user)) {
      throw EtcdError.PERMISSION_DENIED.exception();
    }
  }

  private static int byteOrder(String a, String b) {
    return java.util.Arrays.compareUnsigned(a.getBytes(java.nio.charset.StandardCharsets.UTF_8),
        b.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }
}
