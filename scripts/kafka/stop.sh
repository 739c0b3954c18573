#!/usr/bin/env bash
# Stops the broker started by scripts/kafka/start.sh (data stays in .local/kafka/data).
# KAFKA_HOME_DIR: the home of a private broker given to start.sh (default .local/kafka).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
home="${KAFKA_HOME_DIR:-.local/kafka}"
case "$home" in /*) ;; *) home="$root/$home" ;; esac
pidfile="$home/broker.pid"
# A broker whose parent is gone may stay a zombie where PID 1 does not reap: that is stopped too.
alive() { kill -0 "$1" 2>/dev/null && [ "$(ps -o stat= -p "$1" 2>/dev/null | cut -c1)" != Z ]; }
if [ ! -f "$pidfile" ] || ! alive "$(cat "$pidfile")"; then
  echo "[kafka] no broker started by this project is running"
  rm -f "$pidfile"
  exit 0
fi
pid="$(cat "$pidfile")"
kill "$pid"
for _ in $(seq 1 60); do
  alive "$pid" || { rm -f "$pidfile"; echo "[kafka] stopped"; exit 0; }
  sleep 0.5
done
echo "[kafka] broker did not stop in 30 s; killing it" >&2
kill -9 "$pid" || true
rm -f "$pidfile"
