#!/usr/bin/env bash
# Marketplace benchmark series, as BENCHMARKS.md reports them: one fresh `serve` (embedded
# Postgres in a temporary data dir), then RUNS measured `market-bench` runs against it, back to
# back, so the first run is the cold one and the rest are warm.
#
#   bench/scripts/market-series.sh proposals SERVER_JAR BENCH_JAR PORT RUNS
#   bench/scripts/market-series.sh search    SERVER_JAR BENCH_JAR PORT RUNS
#
# SERVER_JAR and BENCH_JAR are agentchat jars (cli/target/agentchat.jar, or a copy of an older
# build, to compare two builds with the same load generator). For `search`, the first run
# registers 100,000 skills (1,000 agents x 100) with 8 searchers; the RUNS that follow use one.
set -euo pipefail
SCENARIO=$1; SERVER_JAR=$2; BENCH_JAR=$3; PORT=$4; RUNS=$5
DIR=$(mktemp -d "${TMPDIR:-/tmp}/market-series.XXXX")
java -jar "$SERVER_JAR" serve --port "$PORT" --data-dir "$DIR/data" --min-proposal-age 0 \
    --frame-limit 1000000 --msg-rate 1000 --msg-burst 1000 > "$DIR/url" 2> "$DIR/server.log" &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$DIR"' EXIT
for _ in $(seq 1 120); do grep -q ws:// "$DIR/url" 2>/dev/null && break; sleep 1; done
URL=$(head -1 "$DIR/url")
DB=$(pgrep -f "postgres -D $DIR/data/pg" | head -1 || true)
bench() { java -jar "$BENCH_JAR" market-bench "$URL" --server-pid "$SERVER" ${DB:+--db-pid $DB} "$@"; }
case "$SCENARIO" in
  proposals)
    for _ in $(seq 1 "$RUNS"); do
      bench --scenario proposals --pairs 50 --duration 20 --warmup 5
    done ;;
  search)
    bench --scenario search
    for _ in $(seq 1 "$RUNS"); do
      bench --scenario search --skip-setup --searchers 1
    done ;;
  *) echo "scenario must be proposals or search" >&2; exit 2 ;;
esac
