#!/usr/bin/env bash
# Load benchmark of the CDS Hooks service: starts the packaged service jar with client
# authentication on (a fresh RS384 key trusted from a file), measures the time until /health
# says ready, then drives the CDC opioid order-sign request at increasing rates with a fresh
# token per call, and prints the library's own time for the same request beside it.
# Then finds the most it answers with wrk (Debian package `wrk`, when installed): a closed loop of
# WRK_CONNECTIONS connections for WRK_SECONDS after as long a warm-up, each request with its own
# pre-signed token (cds-benchmarks/service-load.lua).
# Usage (from the repository root, after `mvn -q package -DskipTests`):
#   bash cds-benchmarks/service-load.sh [RATES] [SECONDS]
set -euo pipefail
RATES=${1:-500,1000,2000,4000,8000}
SECONDS_PER_STEP=${2:-10}
PORT=${PORT:-28470}
SHARED=${SHARED:-../shared}
REQUEST=$SHARED/conformance/opioid-cds/requests/OpioidCDSREC08/request-example-rec-08-mme-greater-than-fifty.json
VALUE_SETS=$SHARED/conformance/opioid-cds/vocabulary/valueset
SERVICE=opioidcds-08-order-sign
WORK=$(mktemp -d)
CP="cds-benchmarks/target/cds-benchmarks-0.1.0-SNAPSHOT.jar:$(ls cds-hooks-service/target/lib/*.jar | tr '\n' ':')"
java -Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener -cp "$CP" io.github.cdsengine.benchmarks.ServiceLoad keygen "$WORK/private.json" "$WORK/jwks.json"

START=$(date +%s%N)
java -Xmx1g -jar cds-hooks-service/target/cds-hooks-service.jar --port "$PORT" \
  --public-url "http://127.0.0.1:$PORT" --trusted-issuer "load-client=$WORK/jwks.json" \
  --feedback-store "$WORK/feedback" --feedback-key "$WORK/feedback.key" \
  --pack cdc-opioids-2016 --value-sets "$VALUE_SETS" > "$WORK/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; rm -rf "$WORK"' EXIT
until curl -sf "http://127.0.0.1:$PORT/health" > /dev/null; do sleep 0.05; done
echo "ready to serve $(( ($(date +%s%N) - START) / 1000000 )) ms after start"

java -Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener -cp "$CP" io.github.cdsengine.benchmarks.ServiceLoad \
  "http://127.0.0.1:$PORT/cds-services/$SERVICE" "$REQUEST" "$WORK/private.json" load-client \
  "$RATES" "$SECONDS_PER_STEP"
if command -v wrk > /dev/null; then
  WRK_CONNECTIONS=${WRK_CONNECTIONS:-8}
  WRK_SECONDS=${WRK_SECONDS:-10}
  URL="http://127.0.0.1:$PORT/cds-services/$SERVICE"
  # Tokens for up to 3,000 calls a second in the warm-up and in the measured run; a run that
  # runs out shows 401s in its statuses.
  TOKENS=$(( 2 * WRK_SECONDS * 3000 ))
  java -Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener -cp "$CP" io.github.cdsengine.benchmarks.ServiceLoad tokens "$WORK/private.json" \
    load-client "$URL" "$TOKENS" "$WORK/tokens.txt"
  export LOAD_BODY=$REQUEST LOAD_TOKENS=$WORK/tokens.txt LOAD_THREADS=1 LOAD_OFFSET=0
  wrk -t1 -c"$WRK_CONNECTIONS" -d"${WRK_SECONDS}s" -s cds-benchmarks/service-load.lua "$URL" \
    > /dev/null
  export LOAD_OFFSET=$(( TOKENS / 2 ))
  BEFORE=$(awk '{print $14 + $15}' "/proc/$SERVER/stat")
  echo "wrk, $WRK_CONNECTIONS connections, ${WRK_SECONDS} s after as long a warm-up:"
  wrk -t1 -c"$WRK_CONNECTIONS" -d"${WRK_SECONDS}s" -s cds-benchmarks/service-load.lua "$URL" \
    | grep -E '^(status|p50)'
  AFTER=$(awk '{print $14 + $15}' "/proc/$SERVER/stat")
  echo "server CPU in the measured run: $(( (AFTER - BEFORE) * 10 )) ms"
fi
curl -s "http://127.0.0.1:$PORT/metrics" | grep '^jvm_memory_used_bytes{' | grep 'area="heap"' \
  | awk '{sum += $NF} END {printf "server heap used after the run: %.0f MB\n", sum / 1048576}'
java -Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener -cp "$CP" io.github.cdsengine.benchmarks.ServiceLoad library "$REQUEST" "$VALUE_SETS" "$SERVICE"
