#!/bin/bash
# Sourced by the scripts that start the demo on its fixed ports (5060/5062 UDP and TCP, 8080/8081, 7400/7401).
# Another benchmark may hold them (take `flock /tmp/demo-ports.lock` around a run; a SIPp run elsewhere with its
# default local port 5060 holds it too): wait up to PORT_WAIT_S (300) seconds for them to be free, and stop the
# script (exit 2) rather than load a demo that is not its own.
demo_ports_busy() { ss -lntup 2>/dev/null | grep -qE ":(5060|5062|8080|8081|7400|7401) "; }
demo_ports_wait() {
  local i
  for i in $(seq 1 "${PORT_WAIT_S:-300}"); do demo_ports_busy || return 0; sleep 1; done
  demo_ports_busy || return 0
  echo "the demo's ports are still in use: not run ($(ss -lntup 2>/dev/null | grep -E ':(5060|5062|8080|8081|7400|7401) ' | head -3 | tr -s ' '))" >&2
  exit 2
}
# after the health check: the demo that answered must be this script's own process (PID $1)
demo_ports_check_own() {
  if ! kill -0 "$1" 2>/dev/null; then echo "the demo did not start: $(tail -1 "$2")" >&2; exit 2; fi
}
