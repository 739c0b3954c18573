#!/usr/bin/env bash
# Stops the broker started by scripts/kafka/start.sh (data stays in .local/kafka/data).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
pidfile="$root/.local/kafka/broker.pid"
if [ ! -f "$pidfile" ] || ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then
  echo "[kafka] no broker started by this project is running"
  rm -f "$pidfile"
  exit 0
fi
pid="$(cat "$pidfile")"
kill "$pid"
for _ in $(seq 1 60); do
  kill -0 "$pid" 2>/dev/null || { rm -f "$pidfile"; echo "[kafka] stopped"; exit 0; }
  sleep 0.5
done
echo "[kafka] broker did not stop in 30 s; killing it" >&2
kill -9 "$pid" || true
rm -f "$pidfile"
