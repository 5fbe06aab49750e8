#!/usr/bin/env bash
# Load benchmark of the CDS Hooks service: starts the packaged service jar with client
# authentication on (a fresh RS384 key trusted from a file), measures the time until /health
# says ready, then drives the CDC opioid order-sign request at increasing rates with a fresh
# token per call, and prints the library's own time for the same request beside it.
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
java -cp "$CP" io.github.cdsengine.benchmarks.ServiceLoad keygen "$WORK/private.json" "$WORK/jwks.json"

START=$(date +%s%N)
java -Xmx1g -jar cds-hooks-service/target/cds-hooks-service.jar --port "$PORT" \
  --public-url "http://127.0.0.1:$PORT" --trusted-issuer "load-client=$WORK/jwks.json" \
  --feedback-store "$WORK/feedback" --feedback-key "$WORK/feedback.key" \
  --pack cdc-opioids-2016 --value-sets "$VALUE_SETS" > "$WORK/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; rm -rf "$WORK"' EXIT
until curl -sf "http://127.0.0.1:$PORT/health" > /dev/null; do sleep 0.05; done
echo "ready to serve $(( ($(date +%s%N) - START) / 1000000 )) ms after start"

java -cp "$CP" io.github.cdsengine.benchmarks.ServiceLoad \
  "http://127.0.0.1:$PORT/cds-services/$SERVICE" "$REQUEST" "$WORK/private.json" load-client \
  "$RATES" "$SECONDS_PER_STEP"
curl -s "http://127.0.0.1:$PORT/metrics" | grep '^jvm_memory_used_bytes{' | grep 'area="heap"' \
  | awk '{sum += $NF} END {printf "server heap used after the run: %.0f MB\n", sum / 1048576}'
java -cp "$CP" io.github.cdsengine.benchmarks.ServiceLoad library "$REQUEST" "$VALUE_SETS" "$SERVICE"
