#!/usr/bin/env bash
# Side-by-side benchmark of real etcd and Cairn on this machine: same topology, same flags, same
# scenarios, same client. Writes bench/results/<UTC timestamp>/results.md and latency.png.
#
# Usage: bench/compare.sh [--runs N] [--quick] [--only etcd|cairn] [--members 1|3]
#                         [--duration D] [--rss-1m]
#   --runs N       repeat every scenario N times and report medians (default 3; 1 with --quick)
#   --quick        short runs (2s, 0.5s warm-up): a smoke test of the whole pipeline
#   --only T       benchmark only etcd or only cairn
#   --members M    only the 1-member or only the 3-member topology (default: both)
#   --duration D   measured length of each run (default 10s)
#   --rss-1m       also load 1M keys (8-byte keys, 256-byte values) and report RSS; slow
#   --no-build     use the jars already built (server/target, bench/target) instead of building
#   --scenarios L  only these scenario labels (comma list, see below); "none" with --rss-1m
#   --server-warmup D  load each freshly started cluster this long before measuring (default 40s,
#                  0s to skip): Cairn's JVM compiles its hot paths during the first tens of seconds,
#                  and a server is measured in its steady state. etcd gets the same load.
#
# Everything it starts is stopped on exit (also on failure or Ctrl-C); temp data dirs are deleted.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs=""
quick=0
only=""
members_list="1 3"
duration="10s"
warmup="2s"
rss_1m=0
build=1
only_scenarios=""
server_warmup="40s"

die() { echo "compare.sh: $*" >&2; exit 2; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) runs="${2:?--runs needs a number}"; shift 2 ;;
    --quick) quick=1; shift ;;
    --only) only="${2:?--only needs etcd or cairn}"; shift 2 ;;
    --members) members_list="${2:?--members needs 1 or 3}"; shift 2 ;;
    --duration) duration="${2:?--duration needs a value like 10s}"; shift 2 ;;
    --rss-1m) rss_1m=1; shift ;;
    --no-build) build=0; shift ;;
    --scenarios) only_scenarios="${2:?--scenarios needs a comma list}"; shift 2 ;;
    --server-warmup) server_warmup="${2:?--server-warmup needs a value like 30s}"; shift 2 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
done
if [[ $quick -eq 1 ]]; then
  duration="2s"; warmup="0.5s"; runs="${runs:-1}"; server_warmup="0s"
fi
runs="${runs:-3}"
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || die "--runs must be a positive integer, got '$runs'"
[[ "$members_list" =~ ^(1|3|1\ 3)$ ]] || die "--members must be 1 or 3, got '$members_list'"
case "$only" in
  "") targets="etcd cairn" ;;
  etcd|cairn) targets="$only" ;;
  *) die "--only must be etcd or cairn, got '$only'" ;;
esac

# --- preconditions and build -------------------------------------------------------------------
if [[ " $targets " == *" etcd "* ]] && ! command -v etcd >/dev/null; then
  die "etcd is not on PATH: install the Debian package etcd-server (apt-get install -y etcd-server)"
fi
if [[ " $targets " == *" cairn "* ]]; then
  [[ -x "$root/bin/cairn" ]] || die "bin/cairn is missing: the Cairn server is not in this tree yet (use --only etcd)"
  modules="server,bench"
else
  modules="bench"
fi
if [[ $build -eq 1 ]]; then
  echo "compare.sh: building $modules..." >&2
  (cd "$root" && ./mvnw -q -Dmaven.test.skip=true -pl "$modules" -am package) \
    || die "build failed (./mvnw -q -Dmaven.test.skip=true -pl $modules -am package)"
fi
[[ -f "$root/bench/target/cairn-bench.jar" ]] || die "bench/target/cairn-bench.jar was not built"
if [[ " $targets " == *" cairn "* ]]; then
  [[ -f "$root/server/target/cairn-server.jar" ]] || die "server/target/cairn-server.jar was not built"
fi

bench="$root/bin/cairn-bench"
load_at_start="$(cut -d' ' -f1-3 /proc/loadavg)"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
out="$root/bench/results/$stamp"
mkdir -p "$out/raw" "$out/logs"
work="$(mktemp -d /tmp/cairn-compare.XXXXXX)"

# Same flags for both servers (etcd's names; Cairn accepts them).
server_flags=(--heartbeat-interval 100 --election-timeout 1000 --snapshot-count 100000
  --quota-backend-bytes 8589934592)

cluster_pids=()
cleanup() {
  local status=$?
  stop_cluster
  rm -rf "$work"
  [[ $status -eq 0 ]] || echo "compare.sh: failed (exit $status); logs in $out/logs" >&2
}
trap cleanup EXIT
trap 'exit 130' INT TERM

stop_cluster() {
  local pid
  for pid in "${cluster_pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${cluster_pids[@]}"; do
    # wait only works for our own children, which these are.
    wait "$pid" 2>/dev/null || true
  done
  cluster_pids=()
}

# start_cluster TARGET MEMBERS: starts the members, waits for health, sets $endpoints and $pids.
start_cluster() {
  local target="$1" members="$2" base bin i initial="" peer client
  case "$target" in
    etcd) base=24000; bin="etcd" ;;
    cairn) base=25000; bin="$root/bin/cairn" ;;
  esac
  for ((i = 1; i <= members; i++)); do
    initial+="${initial:+,}n$i=http://127.0.0.1:$((base + 100 + i))"
  done
  endpoints=""
  for ((i = 1; i <= members; i++)); do
    client="http://127.0.0.1:$((base + i))"
    peer="http://127.0.0.1:$((base + 100 + i))"
    endpoints+="${endpoints:+,}$client"
    mkdir -p "$work/$target-m$members"
    "$bin" --name "n$i" --data-dir "$work/$target-m$members/n$i" \
      --listen-client-urls "$client" --advertise-client-urls "$client" \
      --listen-peer-urls "$peer" --initial-advertise-peer-urls "$peer" \
      --initial-cluster "$initial" --initial-cluster-token "compare-$target-$members" \
      --initial-cluster-state new "${server_flags[@]}" \
      >"$out/logs/$target-m$members-n$i.log" 2>&1 &
    cluster_pids+=("$!")
  done
  pids="$(IFS=,; echo "${cluster_pids[*]}")"
  if ! "$bench" status --endpoints "$endpoints" --wait 60s >"$out/logs/$target-m$members-status.log" 2>&1; then
    cat "$out/logs/$target-m$members-status.log" >&2
    die "$target with $members member(s) did not become healthy; see $out/logs"
  fi
  leader_first "$out/logs/$target-m$members-status.log"
}

# Reorders $endpoints so that the leader comes first: single-connection scenarios use the first
# endpoint, and they must talk to the leader on both targets (a follower adds a forwarding hop).
leader_first() {
  local leader
  leader="$(awk '{ sub(/,$/, "", $5); sub(/,$/, "", $7); if ($5 == $7) { sub(/:$/, "", $1); print $1 } }' "$1")"
  [[ -n "$leader" ]] || die "no member reported itself as leader; see $1"
  endpoints="$leader$(tr ',' '\n' <<<"$endpoints" | { grep -vxF "$leader" || true; } | sed 's/^/,/' | tr -d '\n')"
  echo "compare.sh: endpoints (leader first): $endpoints" >&2
}

# warm_up_cluster TARGET MEMBERS: the same mixed load (writes from many clients, writes from one,
# linearizable reads) for $server_warmup, split over the three, before anything is measured.
warm_up_cluster() {
  [[ "$server_warmup" =~ ^0+(s|ms)?$ ]] && return
  local log="$out/logs/$1-m$2-warmup.log" part
  part="$(awk -v d="$server_warmup" 'BEGIN { v = d + 0; if (d ~ /ms$/) v /= 1000; else if (d ~ /m$/) v *= 60; printf "%.3fs", v / 3 }')"
  echo "compare.sh: $1, $2 member(s): warming the servers up for $server_warmup" >&2
  "$bench" put --clients 50 --conns 10 --key-space-size 10000 --val-size 256 --duration "$part" \
    --endpoints "$endpoints" >>"$log" 2>&1 || die "warm-up load failed on $1; see $log"
  "$bench" put --clients 1 --conns 1 --val-size 256 --duration "$part" \
    --endpoints "$endpoints" >>"$log" 2>&1 || die "warm-up load failed on $1; see $log"
  "$bench" range --consistency l --clients 10 --conns 10 --duration "$part" \
    --endpoints "$endpoints" >>"$log" 2>&1 || die "warm-up load failed on $1; see $log"
}

# The scenarios: label and cairn-bench arguments. Every target gets exactly the same list.
scenarios=(
  "put-1c-seq|put --clients 1 --conns 1 --sequential-keys --val-size 256"
  "put-100c|put --clients 100 --conns 10 --key-space-size 100000 --val-size 256"
  "range-l-1c|range --consistency l --clients 1 --conns 1 --val-size 256"
  "range-l-100c|range --consistency l --clients 100 --conns 10 --val-size 256"
  "range-s-100c|range --consistency s --clients 100 --conns 10 --val-size 256"
  "txn-put-100c|txn-put --clients 100 --conns 10 --key-space-size 1000 --key-size 4 --val-size 256"
  "watch-10w|watch --watchers 10 --clients 10 --conns 10 --rate 500 --val-size 256 --key-prefix /watch/"
  "lease-keepalive-100c|lease-keepalive --clients 100 --conns 10"
  "kube-100c|kube --clients 100 --conns 10 --objects 1000 --watchers 4"
)

# A scenario that fails (e.g. an RPC the server does not implement yet) is noted and skipped: its
# cell shows "—" and the failure is listed under the table; the other scenarios still run.
failures=()
run_scenarios() {
  local target="$1" members="$2" entry label args run result
  for entry in "${scenarios[@]}"; do
    label="${entry%%|*}"
    args="${entry#*|}"
    [[ -z "$only_scenarios" || ",$only_scenarios," == *",$label,"* ]] || continue
    for ((run = 1; run <= runs; run++)); do
      echo "compare.sh: $target, $members member(s): $label, run $run/$runs" >&2
      result="$out/raw/${target}__m${members}__${label}__r${run}.json"
      # shellcheck disable=SC2086 # args is a list of words by design
      if ! "$bench" $args --endpoints "$endpoints" --duration "$duration" --warmup "$warmup" \
        --sample-pids "$pids" --seed "$run" --json >"$result" \
        2>>"$out/logs/$target-m$members-bench.log"; then
        rm -f "$result"
        failures+=("$target, $members member(s), $label: $(tail -1 "$out/logs/$target-m$members-bench.log")")
        echo "compare.sh: FAILED: ${failures[-1]}" >&2
        break
      fi
      check_alive "$target" "$members"
    done
  done
}

# Fails the comparison if a member died: figures from a shrunken cluster would mislead.
check_alive() {
  local pid
  for pid in "${cluster_pids[@]}"; do
    kill -0 "$pid" 2>/dev/null || die "$1 member pid $pid ($2-member cluster) died; see $out/logs"
  done
}

# RSS with 1M keys: load them (8-byte keys, 256-byte values), then measure RSS while idle-reading.
run_rss_1m() {
  local target="$1" members="$2" log="$out/logs/$1-m$2-bench.log"
  echo "compare.sh: $target, $members member(s): loading 1M keys" >&2
  if ! "$bench" put --clients 100 --conns 10 --sequential-keys --key-prefix "" --key-size 8 \
    --val-size 256 --total 1000000 --timeout 30s --endpoints "$endpoints" --sample-pids "$pids" \
    --json >"$out/raw/${target}__m${members}__load-1m-keys__r1.json" 2>>"$log"; then
    rm -f "$out/raw/${target}__m${members}__load-1m-keys__r1.json"
    failures+=("$target, $members member(s), load-1m-keys: $(tail -1 "$log")")
    return
  fi
  check_alive "$target" "$members"
  if ! "$bench" range --consistency s --clients 1 --rate 100 --duration 5s --key 00000001 \
    --endpoints "$endpoints" --sample-pids "$pids" --json \
    >"$out/raw/${target}__m${members}__rss-1m-keys__r1.json" 2>>"$log"; then
    rm -f "$out/raw/${target}__m${members}__rss-1m-keys__r1.json"
    failures+=("$target, $members member(s), rss-1m-keys: $(tail -1 "$log")")
  fi
}

for members in $members_list; do
  for target in $targets; do
    start_cluster "$target" "$members"
    warm_up_cluster "$target" "$members"
    run_scenarios "$target" "$members"
    [[ $rss_1m -eq 0 ]] || run_rss_1m "$target" "$members"
    stop_cluster
    rm -rf "${work:?}/$target-m$members"
  done
done

{
  echo "## Set-up"
  echo
  echo "- date: $stamp; machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo); $(uname -sr)"
  echo "- load average (1/5/15 min) at start: $load_at_start; at end: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine skews absolute figures)"
  echo "- etcd: $(command -v etcd >/dev/null && etcd --version 2>/dev/null | sed -n 1p || echo 'not installed')"
  echo "- Cairn: $(cd "$root" && git rev-parse --short HEAD) ($(java -version 2>&1 | head -1))"
  echo "- server flags (both): ${server_flags[*]}"
  echo "- endpoints are listed leader first, so the 1-connection scenarios talk to the leader on both targets"
  echo "- each cluster got $server_warmup of mixed load (puts from 50 clients and from 1, linearizable reads) after start, before any scenario"
  echo "- each run: --duration $duration after --warmup $warmup; $runs run(s) per scenario; medians shown"
  echo "- scenarios:"
  for entry in "${scenarios[@]}"; do echo "  - \`${entry%%|*}\`: \`cairn-bench ${entry#*|}\`"; done
  [[ $rss_1m -eq 0 ]] || echo "  - \`load-1m-keys\` / \`rss-1m-keys\`: 1M sequential 8-byte keys with 256-byte values, then RSS while idle"
  if [[ ${#failures[@]} -gt 0 ]]; then
    echo
    echo "## Scenarios that failed (no figures)"
    echo
    for f in "${failures[@]}"; do echo "- $f"; done
  fi
} >"$out/notes.md"

"$bench" compare-report "$out" --notes "$out/notes.md"
echo "compare.sh: wrote $out/results.md and $out/latency.png" >&2
