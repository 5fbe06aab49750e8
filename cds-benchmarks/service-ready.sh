#!/usr/bin/env bash
# Start-up benchmark of the CDS Hooks service: starts the packaged service jar RUNS times with the
# load benchmark's configuration (client authentication on with a key trusted from a file, the
# feedback store, the CDC opioid pack and its value sets) and measures, for each start, the wall
# time from launching `java` until GET /health answers 200 (every service built), and the CPU the
# process had used by then (user + system, from /proc). Prints each run and the medians.
# Usage (from the repository root, after `mvn -q package -DskipTests`):
#   bash cds-benchmarks/service-ready.sh [RUNS]
# Environment:
#   JAVA        the java launcher (default: java), e.g. a JDK 25's for its AOT cache
#   JAVA_OPTS   options before -jar, e.g. "-XX:SharedArchiveFile=cds-hooks-service.jsa"
#   JAR         the service jar (default: cds-hooks-service/target/cds-hooks-service.jar)
#   SHARED      the conformance material (default: ../shared)
#   PACKS       --pack value (default: cdc-opioids-2016; "all" for every pack with value sets)
set -euo pipefail
RUNS=${1:-5}
JAVA=${JAVA:-java}
JAVA_OPTS=${JAVA_OPTS:-}
JAR=${JAR:-cds-hooks-service/target/cds-hooks-service.jar}
SHARED=${SHARED:-../shared}
PACKS=${PACKS:-cdc-opioids-2016}
PORT=${PORT:-28471}
WORK=$(mktemp -d)
SERVER=
trap '[ -n "$SERVER" ] && kill $SERVER 2>/dev/null; rm -rf "$WORK"' EXIT
CP="cds-benchmarks/target/cds-benchmarks-0.1.0-SNAPSHOT.jar:$(ls cds-hooks-service/target/lib/*.jar | tr '\n' ':')"
java -cp "$CP" io.github.cdsengine.benchmarks.ServiceLoad keygen "$WORK/private.json" \
  "$WORK/jwks.json" > /dev/null
PACK_ARGS=(--value-sets "$SHARED/conformance/opioid-cds/vocabulary/valueset")
if [ "$PACKS" = all ]; then
  PACK_ARGS+=(--value-sets "$SHARED/conformance/ecqm/vocabulary/valueset")
else
  PACK_ARGS+=(--pack "$PACKS")
fi
TICKS=$(getconf CLK_TCK)
echo "service start: $JAVA $JAVA_OPTS -jar $JAR (packs: $PACKS), load average $(cut -d' ' -f1-3 /proc/loadavg)"
READY=(); CPU=()
for run in $(seq 1 "$RUNS"); do
  rm -rf "$WORK/feedback"
  START=$(date +%s%N)
  # shellcheck disable=SC2086
  $JAVA $JAVA_OPTS -Xmx1g -jar "$JAR" --port "$PORT" --public-url "http://127.0.0.1:$PORT" \
    --trusted-issuer "load-client=$WORK/jwks.json" --feedback-store "$WORK/feedback" \
    --feedback-key "$WORK/feedback.key" "${PACK_ARGS[@]}" > "$WORK/server.log" 2>&1 &
  SERVER=$!
  until curl -sf "http://127.0.0.1:$PORT/health" > /dev/null; do
    if ! kill -0 $SERVER 2>/dev/null; then
      echo "the service stopped before it was ready:"; tail -20 "$WORK/server.log"; exit 1
    fi
    sleep 0.01
  done
  ms=$(( ($(date +%s%N) - START) / 1000000 ))
  cpu=$(awk -v t="$TICKS" '{printf "%d", ($14 + $15) * 1000 / t}' /proc/$SERVER/stat)
  kill $SERVER; wait $SERVER 2>/dev/null || true; SERVER=
  echo "run $run: ready after $ms ms, CPU $cpu ms"
  READY+=("$ms"); CPU+=("$cpu")
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
echo "median of $RUNS: ready after $(median "${READY[@]}") ms, CPU $(median "${CPU[@]}") ms"
