#!/usr/bin/env bash
# Stops the broker(s) started by scripts/kafka/start.sh (data stays in .local/kafka).
# KAFKA_HOME_DIR: the home of a private broker given to start.sh (default .local/kafka).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
home="${KAFKA_HOME_DIR:-.local/kafka}"
case "$home" in /*) ;; *) home="$root/$home" ;; esac
# A broker whose parent is gone may stay a zombie where PID 1 does not reap: that is stopped too.
alive() { kill -0 "$1" 2>/dev/null && [ "$(ps -o stat= -p "$1" 2>/dev/null | cut -c1)" != Z ]; }
running=()
for pidfile in "$home/broker.pid" "$home"/node-*/broker.pid; do
  [ -f "$pidfile" ] || continue
  if alive "$(cat "$pidfile")"; then running+=("$pidfile"); else rm -f "$pidfile"; fi
done
if [ "${#running[@]}" = 0 ]; then
  echo "[kafka] no broker started by this project is running"
  exit 0
fi
for pidfile in "${running[@]}"; do kill "$(cat "$pidfile")"; done
for _ in $(seq 1 60); do
  left=0
  for pidfile in "${running[@]}"; do
    if [ -f "$pidfile" ] && alive "$(cat "$pidfile")"; then left=1; else rm -f "$pidfile"; fi
  done
  [ "$left" = 0 ] && { echo "[kafka] stopped ${#running[@]} broker(s)"; exit 0; }
  sleep 0.5
done
echo "[kafka] broker(s) did not stop in 30 s; killing them" >&2
for pidfile in "${running[@]}"; do [ -f "$pidfile" ] && kill -9 "$(cat "$pidfile")" 2>/dev/null; rm -f "$pidfile"; done
exit 0
