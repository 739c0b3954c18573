#!/usr/bin/env bash
# Starts real Apache Kafka brokers (KRaft mode) resolved from Maven Central: one node by default,
# or a replicated cluster with KAFKA_CLUSTER_SIZE=3 (three broker+controller nodes, a controller
# quorum of three, every partition on 3 brokers with min.insync.replicas=2).
# Idempotent: does nothing when the brokers already answer. Waits until they do.
# When KAFKA_BROKERS is set, an external cluster is used and nothing is started.
#
# Ports: brokers KAFKA_PORT.. (default 9092, then 9093, 9094 for a cluster), controllers right after
# them (KAFKA_CONTROLLER_PORT.., default 9093 for one node, 9095-9097 for three). KAFKA_HOME_DIR
# (default .local/kafka; relative to the repository) lets a caller run a second, private broker
# beside the default one, e.g. the fault tests: config, data, log and pid live in KAFKA_HOME_DIR
# (a cluster's node i in KAFKA_HOME_DIR/node-i), the Maven-resolved jars stay shared in
# .local/kafka/<version>/libs. Starting again on the same home after a SIGKILL reuses its data
# (Kafka recovers its logs); a single SIGKILLed node of a cluster is started again the same way.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"

if [ -n "${KAFKA_BROKERS:-}" ]; then
  echo "[kafka] KAFKA_BROKERS=$KAFKA_BROKERS is set: using that cluster, starting nothing"
  exit 0
fi

# KAFKA_VERSION tries another release (e.g. the newest); default: scripts/kafka/pom.xml's.
version="${KAFKA_VERSION:-$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' scripts/kafka/pom.xml)}"
size="${KAFKA_CLUSTER_SIZE:-1}"
case "$size" in 1|3|5) ;; *) echo "[kafka] KAFKA_CLUSTER_SIZE must be 1, 3 or 5 (got $size)" >&2; exit 1 ;; esac
port="${KAFKA_PORT:-9092}"
# Controllers listen after the brokers: single node 9092 + 9093; three nodes 9092-9094 + 9095-9097.
controller_port="${KAFKA_CONTROLLER_PORT:-$((port + size))}"
home="${KAFKA_HOME_DIR:-.local/kafka}"
case "$home" in /*) ;; *) home="$root/$home" ;; esac
libs="$root/.local/kafka/$version/libs"
mkdir -p "$home"
# A process whose parent is gone may stay a zombie where PID 1 does not reap: that one is dead.
alive() { kill -0 "$1" 2>/dev/null && [ "$(ps -o stat= -p "$1" 2>/dev/null | cut -c1)" != Z ]; }
answers() { node scripts/kafka/ping.js "127.0.0.1:$1" 2>/dev/null; }

# Node i (0-based): broker port+i, controller controller_port+i. A single node keeps the layout
# it always had (home/data, home/broker.pid); a cluster's node i lives in home/node-<i+1>/.
node_dir() { if [ "$size" = 1 ]; then echo "$home"; else echo "$home/node-$(($1 + 1))"; fi; }
data_dir() { if [ "$size" = 1 ]; then echo "$home/data"; else echo "$(node_dir "$1")/data"; fi; }

all_up=1
for i in $(seq 0 $((size - 1))); do answers $((port + i)) || all_up=0; done
if [ "$all_up" = 1 ]; then
  echo "[kafka] $size broker(s) already answering from 127.0.0.1:$port"
  exit 0
fi

if [ ! -f "$libs/.complete" ]; then
  echo "[kafka] resolving org.apache.kafka:kafka_2.13:$version with Maven (first run only)"
  mvn -q -B -Dstyle.color=never -f scripts/kafka/pom.xml -Dkafka.version="$version" dependency:copy-dependencies \
    -DoutputDirectory="$libs" -DincludeScope=runtime >"$home/mvn.log" 2>&1 \
    || { echo "[kafka] Maven could not resolve Kafka $version:" >&2; tail -n 30 "$home/mvn.log" >&2; exit 1; }
  touch "$libs/.complete"
fi

voters=""
for i in $(seq 0 $((size - 1))); do voters="${voters:+$voters,}$((i + 1))@127.0.0.1:$((controller_port + i))"; done
# Replication: every partition on min(3, nodes) brokers, and a write needs 2 in-sync copies on a
# cluster (acks=all), so one broker can die without losing an acknowledged message or stopping writes.
rf=$(( size < 3 ? size : 3 ))
min_isr=$(( size < 3 ? 1 : 2 ))

java_opts=(-Xms256m -Xmx$([ "$size" = 1 ] && echo 768m || echo 512m) -XX:+UseG1GC -Djava.awt.headless=true
  -Dlog4j.configuration="file:$root/scripts/kafka/log4j.properties"
  -Dlog4j2.configurationFile="$root/scripts/kafka/log4j2.yaml")

# One cluster id for all nodes, made when the first node is formatted and kept beside the data.
cluster_id() {
  [ -f "$home/cluster.id" ] || java -cp "$libs/*" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n 1 >"$home/cluster.id"
  cat "$home/cluster.id"
}

started=()
for i in $(seq 0 $((size - 1))); do
  b_port=$((port + i)); c_port=$((controller_port + i))
  dir="$(node_dir "$i")"; data="$(data_dir "$i")"; conf="$dir/server.properties"; log="$dir/broker.log"
  mkdir -p "$dir"
  if answers "$b_port"; then continue; fi
  # Running but not answering yet (starting, or its controllers have no quorum): wait for it below.
  if [ -f "$dir/broker.pid" ] && alive "$(cat "$dir/broker.pid")"; then started+=("$i"); continue; fi
  cat >"$conf" <<CONF
process.roles=broker,controller
node.id=$((i + 1))
controller.quorum.voters=$voters
listeners=PLAINTEXT://127.0.0.1:$b_port,CONTROLLER://127.0.0.1:$c_port
advertised.listeners=PLAINTEXT://127.0.0.1:$b_port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$data
auto.create.topics.enable=false
num.partitions=1
default.replication.factor=$rf
min.insync.replicas=$min_isr
offsets.topic.replication.factor=$rf
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=$rf
transaction.state.log.min.isr=$min_isr
unclean.leader.election.enable=false
group.initial.rebalance.delay.ms=0
log.retention.hours=24
CONF
  if [ ! -f "$data/meta.properties" ]; then
    echo "[kafka] formatting KRaft storage in $data"
    java "${java_opts[@]}" -cp "$libs/*" kafka.tools.StorageTool format -t "$(cluster_id)" -c "$conf" >/dev/null
  fi
  echo "[kafka] starting Apache Kafka $version node $((i + 1))/$size on 127.0.0.1:$b_port (log: $log)"
  nohup java "${java_opts[@]}" -cp "$libs/*" kafka.Kafka "$conf" >"$log" 2>&1 &
  echo $! >"$dir/broker.pid"
  started+=("$i")
done

# A cluster answers once a quorum of controllers has formed: wait for every node started here.
for _ in $(seq 1 240); do
  pending=0
  for i in "${started[@]}"; do
    dir="$(node_dir "$i")"
    if answers $((port + i)); then continue; fi
    pending=1
    if ! alive "$(cat "$dir/broker.pid")"; then
      echo "[kafka] node $((i + 1)) exited during start-up; last lines of $dir/broker.log:" >&2
      tail -n 30 "$dir/broker.log" >&2
      exit 1
    fi
  done
  if [ "$pending" = 0 ]; then
    list=""; for i in $(seq 0 $((size - 1))); do list="${list:+$list,}127.0.0.1:$((port + i))"; done
    echo "[kafka] $size broker(s) ready: KAFKA_BROKERS=$list"
    exit 0
  fi
  sleep 0.5
done
echo "[kafka] broker(s) did not answer within 120 s; see $home" >&2
exit 1
