#!/usr/bin/env bash
# Receipts verify benchmark, as reputation/BENCH-receipts.md reports it: generate one agent's
# export of N sealed receipts (real keys and signatures), then time `agentchat receipts verify` on
# it, as JSONL and as one JSON document, with the default heap and with a 64 MB heap (the verifier
# streams, so a small heap must do). Also prints what each part of a receipt costs on one thread
# (Ed25519 verify with BouncyCastle and with the JDK, key parsing, hashing).
#
#   bench/scripts/receipts-verify.sh AGENTCHAT_JAR [N]
#
# AGENTCHAT_JAR is cli/target/agentchat.jar (mvn -pl cli -am package -DskipTests). N defaults to
# 100000. Wall times include the JVM's start (about half a second). Peak RSS comes from
# /usr/bin/time -v when it is installed.
set -euo pipefail
JAR=$1; N=${2:-100000}
DIR=$(mktemp -d "${TMPDIR:-/tmp}/receipts-verify.XXXX")
trap 'rm -rf "$DIR"' EXIT

echo "machine: $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs))," \
  "$(java -version 2>&1 | head -1), load average $(cut -d' ' -f1-3 /proc/loadavg)"
java -cp "$JAR" io.agentchat.bench.receipts.ReceiptExportGenerator "$DIR/chain.jsonl" --count "$N"
java -cp "$JAR" io.agentchat.bench.receipts.ReceiptExportGenerator "$DIR/chain.json" --count "$N" --json
echo "file sizes: $(du -h "$DIR/chain.jsonl" | cut -f1) (JSONL), $(du -h "$DIR/chain.json" | cut -f1) (JSON)"
echo
echo "one thread, per operation:"
java -cp "$JAR" io.agentchat.bench.receipts.SignatureCost "$DIR/chain.jsonl"
echo

timed() { # label, java args...
  local label=$1; shift
  local started ended status=0
  started=$(date +%s%N)
  if [[ -x /usr/bin/time ]]; then
    /usr/bin/time -v java "$@" > "$DIR/out" 2> "$DIR/time" || status=$?
  else
    java "$@" > "$DIR/out" 2> "$DIR/time" || status=$?
  fi
  ended=$(date +%s%N)
  local seconds rss cpu
  seconds=$(awk -v a="$started" -v b="$ended" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')
  rss=$(awk -F': ' '/Maximum resident set size/ { printf "%.0f MB", $2 / 1024 }' "$DIR/time")
  cpu=$(awk -F': ' '/Percent of CPU this job got/ { print $2 }' "$DIR/time")
  printf '%-24s exit %d  %6s s  %6s receipts/s  CPU %5s  peak RSS %s\n' "$label" "$status" \
    "$seconds" "$(awk -v n="$N" -v s="$seconds" 'BEGIN { printf "%.0f", n / s }')" \
    "${cpu:-n/a}" "${rss:-n/a}"
  tail -1 "$DIR/out"
}

timed "JSONL, default heap" -jar "$JAR" receipts verify "$DIR/chain.jsonl"
timed "JSONL, -Xmx64m" -Xmx64m -jar "$JAR" receipts verify "$DIR/chain.jsonl"
timed "JSON document, -Xmx64m" -Xmx64m -jar "$JAR" receipts verify "$DIR/chain.json"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
