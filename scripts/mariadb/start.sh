#!/usr/bin/env bash
# Starts the project's own MariaDB server (binaries from scripts/mariadb/install.sh) on
# 127.0.0.1:${MARIADB_PORT:-3307}, data in ${MARIADB_HOME_DIR:-.local/mariadb}/data, user root with
# an empty password over TCP. Idempotent: does nothing when it already answers. Waits until it does.
# When DATABASE_URL is set, that server is used and nothing is started.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"

if [ -n "${DATABASE_URL:-}" ]; then
  echo "[mariadb] DATABASE_URL is set: using that server, starting nothing"
  exit 0
fi

port="${MARIADB_PORT:-3307}"
home="${MARIADB_HOME_DIR:-.local/mariadb}"
case "$home" in /*) ;; *) home="$root/$home" ;; esac
data="$home/data"
log="$home/error.log"
pidfile="$home/mariadbd.pid"
mkdir -p "$home/tmp"
alive() { kill -0 "$1" 2>/dev/null && [ "$(ps -o stat= -p "$1" 2>/dev/null | cut -c1)" != Z ]; }
answers() { node scripts/mariadb/ping.js "$port" 2>/dev/null; }

if answers; then
  echo "[mariadb] server already answering on 127.0.0.1:$port"
  exit 0
fi

base="$(bash scripts/mariadb/install.sh)"
export LD_LIBRARY_PATH="$base/lib:$base/libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
# mariadbd refuses to run as root unless told to.
user_args=()
[ "$(id -u)" = 0 ] && user_args=(--user=root)

if [ ! -d "$data/mysql" ]; then
  echo "[mariadb] initialising a data directory in $data"
  rm -rf "$data"
  "$base/scripts/mariadb-install-db" --no-defaults --basedir="$base" --datadir="$data" \
    --auth-root-authentication-method=normal --skip-test-db --skip-name-resolve "${user_args[@]}" >"$home/install.log" 2>&1 \
    || { echo "[mariadb] mariadb-install-db failed; last lines of $home/install.log:" >&2; tail -n 30 "$home/install.log" >&2; exit 1; }
fi

echo "[mariadb] starting MariaDB $(basename "$base") on 127.0.0.1:$port (log: $log)"
# --skip-ssl: 11.4 otherwise makes a new self-signed TLS certificate at every start, and its RSA key
# took 6-20 s of CPU here (0.4 s to ready without); the server listens on 127.0.0.1 only.
nohup "$base/bin/mariadbd" --no-defaults --basedir="$base" --datadir="$data" \
  --port="$port" --bind-address=127.0.0.1 --socket="$home/mariadbd.sock" --pid-file="$home/mariadbd.server.pid" \
  --log-error="$log" --tmpdir="$home/tmp" --skip-name-resolve --skip-log-bin --skip-ssl \
  --max-connections=1000 --innodb-buffer-pool-size=256M "${user_args[@]}" >"$home/mariadbd.out" 2>&1 &
echo $! >"$pidfile"

for _ in $(seq 1 240); do
  if answers; then
    echo "[mariadb] server ready on 127.0.0.1:$port"
    exit 0
  fi
  if ! alive "$(cat "$pidfile")"; then
    echo "[mariadb] mariadbd exited during start-up; last lines of $log:" >&2
    tail -n 30 "$log" >&2
    exit 1
  fi
  sleep 0.25
done
echo "[mariadb] server did not answer within 60 s; see $log" >&2
exit 1
