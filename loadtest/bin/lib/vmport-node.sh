# Sourced by loadtest/bin/media-*.sh: one `vmport node` (publisher, embedded MariaDB in $DIR/db) on free loopback
# ports, its RTP range RTP_FIRST..RTP_LAST, PORTS ports in the cluster (PORTS/2 on this server); helpers to read it.
# Needs: JAR DIR RTP_FIRST RTP_LAST PORTS HEAP; sets NODE (pid), SIP, ADMIN, MP (a free port for SIPp's media).
TOKEN=bench-token

free_port() { # a free TCP+UDP loopback port outside the RTP range
  python3 - "$RTP_FIRST" "$RTP_LAST" <<'PY'
import socket, sys
while True:
    t = socket.socket(); t.bind(("127.0.0.1", 0)); p = t.getsockname()[1]
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        u.bind(("127.0.0.1", p))
    except OSError:
        continue
    if not int(sys.argv[1]) <= p <= int(sys.argv[2]):
        print(p); break
PY
}

# start_node [JAVA_OPTS...]: writes $DIR/publisher.yaml, starts the node, waits until it is PRIMARY, creates
# mailboxes 1001-1010. Exits (printing the node's log) if the node dies first.
start_node() {
  SIP=$(free_port); ADMIN=$(free_port); MP=$(free_port)
  local peer peer2; peer=$(free_port); peer2=$(free_port)
  cat > "$DIR/publisher.yaml" <<YAML
server: publisher
sip: {host: 127.0.0.1, port: $SIP, allow: [127.0.0.0/8]}
admin: {host: 127.0.0.1, port: $ADMIN, token: $TOKEN}
peer: {listen: "127.0.0.1:$peer", address: "127.0.0.1:$peer2"}
database: {embedded: $DIR/db, poolSize: 8}
media: {host: 127.0.0.1, rtpPorts: $RTP_FIRST-$RTP_LAST}
logLevel: INFO
cluster:
  integration: sip-trunk
  ports: $PORTS
  settings: {networkCheck: [127.0.0.1], maxMessageSeconds: 300, silenceSeconds: 10, minMessageSeconds: 1,
             mediaTimeoutSeconds: 30}
YAML
  java -Xms"$HEAP" -Xmx"$HEAP" -Xlog:gc:file="$DIR/gc.log" "$@" -jar "$JAR" node --config "$DIR/publisher.yaml" \
    > "$DIR/node.log" 2>&1 &
  NODE=$!
  for i in $(seq 1 120); do
    api /api/cluster | grep -q '"PRIMARY"' && break
    kill -0 $NODE 2>/dev/null || { cat "$DIR/node.log"; exit 1; }
    sleep 1
  done
  for e in $(seq 1001 1010); do
    api /api/mailboxes -X POST -d "{\"extension\":\"$e\",\"name\":\"Mailbox $e\"}" >/dev/null
  done
}

api() { curl -s -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$ADMIN$1" "${@:2}"; }
metric() { api /metrics | awk -v m="$1" '$1 == m {printf "%d\n", $2}'; }
ticks() { awk '{print $14+$15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
