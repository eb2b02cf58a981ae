#!/usr/bin/env bash
# Restart-to-serving, Cairn and etcd side by side in one run: a local 3-member cluster of each
# (same ports, same flags, one after the other), a follower kill -9'd and restarted --restarts
# times idle and --restarts times under the bench's put load on the other two members; prints a
# Markdown table of exec -> first linearizable Range served by the restarted member, with Cairn's
# start breakdown. Extra arguments go to `cairn-bench restart` (see its --help), e.g.
#   bench/restart.sh --restarts 7 --load-rate 2000
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [[ "${1:-}" != "--no-build" ]]; then
  (cd "$root" && ./mvnw -q -ntp -Dmaven.test.skip=true -pl server,bench -am package) >&2
else
  shift
fi
servers=(--server "cairn=$root/bin/cairn")
if command -v etcd >/dev/null; then
  servers+=(--server "etcd=$(command -v etcd)")
else
  echo "restart.sh: etcd is not on PATH (apt-get install -y etcd-server): Cairn only" >&2
fi
echo "restart.sh: load average at start: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores" >&2
"$root/bin/cairn-bench" restart "${servers[@]}" "$@"
echo "restart.sh: load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
