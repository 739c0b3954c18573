#!/usr/bin/env bash
# Starts a real single-node Apache Kafka broker (KRaft mode) resolved from Maven Central.
# Idempotent: does nothing when the broker already answers. Waits until it does.
# When KAFKA_BROKERS is set, an external cluster is used and nothing is started.
#
# KAFKA_PORT / KAFKA_CONTROLLER_PORT (default 9092 / 9093) and KAFKA_HOME_DIR (default .local/kafka;
# relative to the repository) let a caller run a second, private broker beside the default one,
# e.g. the fault tests: config, data, log and pid live in KAFKA_HOME_DIR, the Maven-resolved jars
# stay shared in .local/kafka/<version>/libs. Starting again on the same home after a SIGKILL reuses
# its data (Kafka recovers its logs).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"

if [ -n "${KAFKA_BROKERS:-}" ]; then
  echo "[kafka] KAFKA_BROKERS=$KAFKA_BROKERS is set: using that cluster, starting nothing"
  exit 0
fi

version="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' scripts/kafka/pom.xml)"
port="${KAFKA_PORT:-9092}"
controller_port="${KAFKA_CONTROLLER_PORT:-9093}"
home="${KAFKA_HOME_DIR:-.local/kafka}"
case "$home" in /*) ;; *) home="$root/$home" ;; esac
libs="$root/.local/kafka/$version/libs"
data="$home/data"
conf="$home/server.properties"
log="$home/broker.log"
mkdir -p "$home"
# A process whose parent is gone may stay a zombie where PID 1 does not reap: that one is dead.
alive() { kill -0 "$1" 2>/dev/null && [ "$(ps -o stat= -p "$1" 2>/dev/null | cut -c1)" != Z ]; }

if node scripts/kafka/ping.js "127.0.0.1:$port" 2>/dev/null; then
  echo "[kafka] broker already answering on 127.0.0.1:$port"
  exit 0
fi

if [ ! -f "$libs/.complete" ]; then
  echo "[kafka] resolving org.apache.kafka:kafka_2.13:$version with Maven (first run only)"
  mvn -q -B -f scripts/kafka/pom.xml dependency:copy-dependencies -DoutputDirectory="$libs" -DincludeScope=runtime
  touch "$libs/.complete"
fi

cat > "$conf" <<CONF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$controller_port
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$data
auto.create.topics.enable=false
num.partitions=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
log.retention.hours=24
CONF

java_opts=(-Xms256m -Xmx768m -XX:+UseG1GC -Djava.awt.headless=true
  -Dlog4j.configuration="file:$root/scripts/kafka/log4j.properties"
  -Dlog4j2.configurationFile="$root/scripts/kafka/log4j2.yaml")

if [ ! -f "$data/meta.properties" ]; then
  echo "[kafka] formatting KRaft storage in $data"
  cluster_id="$(java -cp "$libs/*" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n 1)"
  java "${java_opts[@]}" -cp "$libs/*" kafka.tools.StorageTool format -t "$cluster_id" -c "$conf" >/dev/null
fi

echo "[kafka] starting Apache Kafka $version on 127.0.0.1:$port (log: $log)"
nohup java "${java_opts[@]}" -cp "$libs/*" kafka.Kafka "$conf" >"$log" 2>&1 &
echo $! >"$home/broker.pid"

for _ in $(seq 1 120); do
  if node scripts/kafka/ping.js "127.0.0.1:$port" 2>/dev/null; then
    echo "[kafka] broker ready on 127.0.0.1:$port"
    exit 0
  fi
  if ! alive "$(cat "$home/broker.pid")"; then
    echo "[kafka] broker exited during start-up; last lines of $log:" >&2
    tail -n 30 "$log" >&2
    exit 1
  fi
  sleep 0.5
done
echo "[kafka] broker did not answer within 60 s; see $log" >&2
exit 1
