package io.cairn.jepsen.cluster;

/**
 * Where one member lives: its name, namespace and address, and the ports it serves.
 *
 * @param index 1-based member number
 * @param name the etcd member name ({@code n<index>})
 */
public record MemberSpec(int index, String name) {

  public static final int CLIENT_PORT = 2379;
  public static final int PEER_PORT = 2380;
  /** Where the member's {@link DelayProxy} listens, when the cluster runs with delay proxies. */
  public static final int PROXY_PORT = 2381;

  public static MemberSpec of(int index) {
    return new MemberSpec(index, "n" + index);
  }

  public String ip() {
    return NetworkLab.memberIp(index);
  }

  public String namespace() {
    return NetworkLab.namespace(index);
  }

  public String clientUrl() {
    return "http://" + ip() + ":" + CLIENT_PORT;
  }

  public String peerUrl() {
    return "http://" + ip() + ":" + PEER_PORT;
  }

  /** The peer URL the other members use: the proxy's when there are delay proxies. */
  public String advertisedPeerUrl(boolean delayProxies) {
    return delayProxies ? "http://" + ip() + ":" + PROXY_PORT : peerUrl();
  }
}
