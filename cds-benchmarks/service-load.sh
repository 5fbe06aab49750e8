#!/usr/bin/env bash
# Load benchmark of the CDS Hooks service: starts the packaged service jar with client
# authentication on (a fresh RS384 key trusted from a file) and its feedback store, measures the
# time until /health says ready, then drives the CDC opioid order-sign request with wrk (Debian
# package `wrk`), every request with its own pre-signed token (cds-benchmarks/service-load.lua):
#   1. a warm-up: 8 connections, each sending its next request on its answer, WARM_SECONDS
#      (default 30: the JIT compilers share the two cores with the calls);
#   2. the most it answers: the same closed loop again, measured, with the server's CPU time;
#   3. each rate of RATES (calls a second) paced over 64 connections, WRK_SECONDS each: answered
#      per second, p50/p99 latency, statuses (503: refused at the door), wrong answers (a 200 whose
#      body differs from the first one).
# With JAVA_STEPS=1 it also runs ServiceLoad's open-loop generator at the same rates (latency
# from each call's due time; heavier on the CPU it shares with the service). Then the library's
# own time for the same request.
# Usage (from the repository root, after `mvn -q package -DskipTests`):
#   bash cds-benchmarks/service-load.sh [RATES] [WRK_SECONDS]
set -euo pipefail
RATES=${1:-500,1000,1500,2000,4000,8000}
WRK_SECONDS=${2:-10}
PORT=${PORT:-28470}
SHARED=${SHARED:-../shared}
REQUEST=$SHARED/conformance/opioid-cds/requests/OpioidCDSREC08/request-example-rec-08-mme-greater-than-fifty.json
VALUE_SETS=$SHARED/conformance/opioid-cds/vocabulary/valueset
SERVICE=opioidcds-08-order-sign
WORK=$(mktemp -d)
CP="cds-benchmarks/target/cds-benchmarks-0.1.0-SNAPSHOT.jar:$(ls cds-hooks-service/target/lib/*.jar | tr '\n' ':')"
JAVA="java -Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener -cp $CP"
URL="http://127.0.0.1:$PORT/cds-services/$SERVICE"
$JAVA io.github.cdsengine.benchmarks.ServiceLoad keygen "$WORK/private.json" "$WORK/jwks.json"

START=$(date +%s%N)
java -Xmx1g -jar cds-hooks-service/target/cds-hooks-service.jar --port "$PORT" \
  --public-url "http://127.0.0.1:$PORT" --trusted-issuer "load-client=$WORK/jwks.json" \
  --feedback-store "$WORK/feedback" --feedback-key "$WORK/feedback.key" \
  --pack cdc-opioids-2016 --value-sets "$VALUE_SETS" > "$WORK/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; rm -rf "$WORK"' EXIT
until curl -sf "http://127.0.0.1:$PORT/health" > /dev/null; do sleep 0.05; done
echo "ready to serve $(( ($(date +%s%N) - START) / 1000000 )) ms after start"

WARM_SECONDS=${WARM_SECONDS:-30}
# Runs wrk with fresh tokens: wrk_run CONNECTIONS RATE (0: closed loop) TOKENS [SECONDS]
wrk_run() {
  $JAVA io.github.cdsengine.benchmarks.ServiceLoad tokens "$WORK/private.json" load-client \
    "$URL" "$3" "$WORK/tokens.txt"
  LOAD_BODY=$REQUEST LOAD_TOKENS=$WORK/tokens.txt LOAD_THREADS=1 LOAD_OFFSET=0 \
    LOAD_RATE=$2 LOAD_CONNECTIONS=$1 \
    wrk -t1 -c"$1" -d"${4:-$WRK_SECONDS}s" -s cds-benchmarks/service-load.lua "$URL" \
    | grep -E '^(status|wrong|p50)' | tr '\n' ' '
  echo
}
# Tokens for up to 3,000 calls a second closed loop; a run that runs out shows 401s.
wrk_run 8 0 $(( WARM_SECONDS * 3000 )) "$WARM_SECONDS" > /dev/null
BEFORE=$(awk '{print $14 + $15}' "/proc/$SERVER/stat")
echo "most answered, 8 connections closed loop, ${WRK_SECONDS} s after a ${WARM_SECONDS} s warm-up:"
wrk_run 8 0 $(( WRK_SECONDS * 3000 ))
AFTER=$(awk '{print $14 + $15}' "/proc/$SERVER/stat")
echo "server CPU from the token signing before that run to its end: $(( (AFTER - BEFORE) * 10 )) ms"
for RATE in ${RATES//,/ }; do
  echo "offered $RATE/s over 64 connections, ${WRK_SECONDS} s:"
  wrk_run 64 "$RATE" $(( RATE * WRK_SECONDS + RATE ))
done
if [ "${JAVA_STEPS:-0}" = 1 ]; then
  $JAVA io.github.cdsengine.benchmarks.ServiceLoad "$URL" "$REQUEST" "$WORK/private.json" \
    load-client "$RATES" "$WRK_SECONDS"
fi
curl -s "http://127.0.0.1:$PORT/metrics" | grep '^jvm_memory_used_bytes{' | grep 'area="heap"' \
  | awk '{sum += $NF} END {printf "server heap used after the run: %.0f MB\n", sum / 1048576}'
$JAVA io.github.cdsengine.benchmarks.ServiceLoad library "$REQUEST" "$VALUE_SETS" "$SERVICE"
