#!/usr/bin/env bash
# COMPLETE throughput with reputation beside a pgbench ceiling on the same Postgres, as
# BENCHMARKS.md ("Reputation: COMPLETE throughput") reports them. One fresh `serve` (embedded
# Postgres in a temporary data dir); pgbench gets a database of its own on that same Postgres.
# Then RUNS rounds, back to back, each of:
#   1. pgbench --builtin=simple-update -c CLIENTS -j 2 -T DURATION (the ceiling: what this Postgres
#      commits per second on this box, with fsync and synchronous commit on, as serve runs it);
#   2. market-bench --scenario completions: PAIRS deals in flight among 2 x PAIRS keyed agents,
#      ROUNDS accepted deals per agent opened first (not measured), then only signed COMPLETEs
#      for WARMUP + DURATION seconds, each settled by the reputation plug-in (ELO, a sealed
#      receipt) in the verb's transaction.
# and prints both, their ratio and the load average.
#
#   bench/scripts/complete-vs-pgbench.sh JAR PORT RUNS
#
# JAR is cli/target/agentchat.jar (copy it out of the tree first if others may rebuild it).
# PORT is the relay's port. Environment knobs, with their defaults: CLIENTS=16 (the server's pool
# size), PAIRS=160, ROUNDS=319 (2 x PAIRS - 1: every deal has a pair of its own, 51,040 deals),
# DURATION=20, WARMUP=5, SCALE=10 (pgbench -i -s). Each market-bench run logs in new agents, so no
# run sees another's pairs or standings. Needs psql and pgbench (15 or later) on the PATH or in
# /usr/bin.
set -euo pipefail
JAR=$1; PORT=$2; RUNS=$3
CLIENTS=${CLIENTS:-16}; PAIRS=${PAIRS:-160}; ROUNDS=${ROUNDS:-$((2 * PAIRS - 1))}
DURATION=${DURATION:-20}; WARMUP=${WARMUP:-5}; SCALE=${SCALE:-10}
PGBENCH=$(command -v pgbench || echo /usr/bin/pgbench)
PSQL=$(command -v psql || echo /usr/bin/psql)
DIR=$(mktemp -d "${TMPDIR:-/tmp}/complete-vs-pgbench.XXXX")

# The bench's deals are worth 5 TEST each: the faucet funds every agent's side of them, so each
# ACCEPT holds and each COMPLETE pays on the TEST ledger, as a real deal does.
java -jar "$JAR" serve --port "$PORT" --data-dir "$DIR/data" --min-proposal-age 0 \
    --dispute-window 0 --frame-limit 1000000 --msg-rate 1000 --msg-burst 1000 \
    --test-faucet 1000000000 \
    > "$DIR/url" 2> "$DIR/server.log" &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$DIR"' EXIT
trap 'exit 130' INT TERM
for _ in $(seq 1 120); do
  grep -q ws:// "$DIR/url" 2>/dev/null && break
  kill -0 $SERVER 2>/dev/null || { echo "serve exited:" >&2; tail -5 "$DIR/server.log" >&2; exit 1; }
  sleep 1
done
URL=$(grep -m1 ws:// "$DIR/url") || { echo "serve did not start in 120 s" >&2; exit 1; }
# postmaster.pid: line 1 the postmaster's pid, line 4 its port. The embedded server's superuser
# is postgres, with no password (trust on loopback).
DB=$(sed -n 1p "$DIR/data/pg/postmaster.pid")
PGPORT=$(sed -n 4p "$DIR/data/pg/postmaster.pid")
export PGHOST=localhost PGPORT PGUSER=postgres
echo "serve pid $SERVER at $URL; Postgres pid $DB on port $PGPORT" \
  "($("$PSQL" -d postgres -Atc 'SHOW server_version'), fsync $("$PSQL" -d postgres -Atc 'SHOW fsync')," \
  "synchronous_commit $("$PSQL" -d postgres -Atc 'SHOW synchronous_commit'))"
"$PSQL" -d postgres -qc 'CREATE DATABASE pgbench'
"$PGBENCH" -i -q -s "$SCALE" pgbench 2>&1 | tail -1

loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
declare -a TPS PER LOADS
for i in $(seq 1 "$RUNS"); do
  echo
  echo "=== run $i of $RUNS: load average $(loadavg)"
  "$PGBENCH" --builtin=simple-update -c "$CLIENTS" -j 2 -T "$DURATION" pgbench > "$DIR/pgbench.out" 2>&1
  grep -E 'number of transactions actually processed|latency average|^tps' "$DIR/pgbench.out"
  TPS[$i]=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' "$DIR/pgbench.out")
  LOADS[$i]=$(loadavg)
  java -jar "$JAR" market-bench "$URL" --scenario completions --pairs "$PAIRS" --rounds "$ROUNDS" \
      --duration "$DURATION" --warmup "$WARMUP" --server-pid "$SERVER" --db-pid "$DB" \
      | tee "$DIR/market.out"
  PER[$i]=$(sed -n 's/.* completions, \([0-9.]*\) completions\/s.*/\1/p' "$DIR/market.out")
done

echo
echo "=== summary: $(nproc) CPUs, pgbench simple-update -c $CLIENTS -j 2 -T $DURATION (scale $SCALE)," \
  "completions with $PAIRS pairs in flight, $ROUNDS rounds"
printf '%-4s %-16s %14s %14s %8s\n' run 'load (1/5/15)' 'pgbench tps' 'COMPLETE/s' ratio
for i in $(seq 1 "$RUNS"); do
  printf '%-4s %-16s %14s %14s %7.1f%%\n' "$i" "${LOADS[$i]}" "${TPS[$i]}" "${PER[$i]}" \
    "$(echo "${PER[$i]:-0} * 100 / ${TPS[$i]:-1}" | bc -l)"
done
