#!/usr/bin/env bash
# Stops the server started by scripts/mariadb/start.sh (its data stays in .local/mariadb/data).
# MARIADB_HOME_DIR: the home given to start.sh (default .local/mariadb).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
home="${MARIADB_HOME_DIR:-.local/mariadb}"
case "$home" in /*) ;; *) home="$root/$home" ;; esac
pidfile="$home/mariadbd.pid"
alive() { kill -0 "$1" 2>/dev/null && [ "$(ps -o stat= -p "$1" 2>/dev/null | cut -c1)" != Z ]; }
if [ ! -f "$pidfile" ] || ! alive "$(cat "$pidfile")"; then
  echo "[mariadb] no server started by this project is running"
  rm -f "$pidfile"
  exit 0
fi
pid="$(cat "$pidfile")"
kill "$pid"   # SIGTERM: a clean shutdown
for _ in $(seq 1 120); do
  alive "$pid" || { rm -f "$pidfile"; echo "[mariadb] stopped"; exit 0; }
  sleep 0.5
done
echo "[mariadb] server did not stop in 60 s; killing it" >&2
kill -9 "$pid" || true
rm -f "$pidfile"
