#!/usr/bin/env bash
# Scale benchmark of the population runs: for each size N, BulkPopulation writes N patients in
# Bulk Data layout (gzipped NDJSON parts and a manifest; copies of the CMS measure test-deck
# cases with new ids and dates moved by up to a year, and one Synthea record in
# SYNTHEA_ONE_IN, default 1000; seeded, no clock, so the same N always gives the same files),
# then runs `cds batch --threads 2` and the Spark job in `local[2]` on the same files, both with
# a 2 GB heap and every shipped pack whose value sets are loaded (the measure packs with the
# eCQM value sets, the guideline packs with the opioid ones). For each run it prints the wall
# time (engine build and JVM start included), patients a second, the process's peak resident
# memory (/usr/bin/time -v) and its CPU time, and the load average before and after: the
# machine may be shared, and a run's figure means little without it. The two runs' summary.json
# must be byte-identical; the script says so or fails.
# Usage (from the repository root, after `mvn -q install -DskipTests`):
#   bash cds-benchmarks/population-scale.sh [SIZES] [WORK]
# SIZES: comma-separated patient counts (default 10000,100000,1000000); WORK: where exports and
# outputs go (default /tmp/cds-population-scale; an export already there for the same size,
# seed and Synthea share is reused).
set -euo pipefail
SIZES=${1:-10000,100000,1000000}
WORK=${2:-/tmp/cds-population-scale}
SHARED=${SHARED:-../shared}
SEED=${SEED:-20261207}
SYNTHEA_ONE_IN=${SYNTHEA_ONE_IN:-1000}
HEAP=${HEAP:-2g}
CONF=$SHARED/conformance
AT=2025-12-31T23:59:59Z
COMMON=(--at "$AT" --period 2025-01-01/2025-12-31
  --value-sets "$CONF/ecqm/vocabulary/valueset" --value-sets "$CONF/opioid-cds/vocabulary/valueset")
# The JVM flags Spark needs on Java 17, as the module's POM lists them.
read -r -a SPARK_FLAGS <<< "$(sed -n 's:.*<spark.jvm.flags>\(.*\)</spark.jvm.flags>.*:\1:p' cds-spark/pom.xml)"
GEN_CP="cds-benchmarks/target/cds-benchmarks-0.1.0-SNAPSHOT.jar:cds-examples/target/lib/*"
SPARK_CP="cds-spark/target/cds-spark.jar:cds-spark/target/lib/*:cds-spark/target/lib-spark/*"
mkdir -p "$WORK"

load() { cut -d' ' -f1 /proc/loadavg; }

# timed LABEL N COMMAND...: runs COMMAND under /usr/bin/time -v and prints one row.
timed() {
  local label=$1 n=$2
  shift 2
  local before start end
  before=$(load)
  start=$(date +%s.%N)
  /usr/bin/time -v -o "$WORK/time.txt" "$@" > "$WORK/$label-$n.log" 2>&1 \
    || { echo "$label $n failed, see $WORK/$label-$n.log"; tail -5 "$WORK/$label-$n.log"; exit 1; }
  end=$(date +%s.%N)
  awk -v label="$label" -v n="$n" -v s="$start" -v e="$end" -v before="$before" \
    -v after="$(load)" '
    /Maximum resident set size/ {rss = $NF}
    /User time/ {user = $NF}
    /System time/ {sys = $NF}
    END {secs = e - s; printf "| %s | %d | %.1f | %.0f | %.0f | %.0f | %s / %s |\n",
      label, n, secs, n / secs, rss / 1024, user + sys, before, after}' "$WORK/time.txt"
}

echo "seed $SEED, one Synthea record in $SYNTHEA_ONE_IN, heap $HEAP, $(nproc) processors"
echo "| runner | patients | seconds | patients/s | peak RSS MB | CPU s | load average before / after |"
echo "|---|---|---|---|---|---|---|"
for N in ${SIZES//,/ }; do
  # Named by every argument of the generator, so an export of another seed or share is never
  # reused under this one's heading.
  EXPORT=$WORK/export-$N-seed$SEED-synthea$SYNTHEA_ONE_IN
  if [ ! -f "$EXPORT/manifest.json" ]; then
    rm -rf "$EXPORT"
    timed generate "$N" java -Xmx1g -cp "$GEN_CP" -Dcds.conformance="$CONF" \
      io.github.cdsengine.benchmarks.BulkPopulation "$EXPORT" "$N" "$SEED" "$SYNTHEA_ONE_IN"
  fi
  rm -rf "$WORK/batch-$N" "$WORK/spark-$N"
  timed "cds-batch" "$N" java -Xmx"$HEAP" -jar cds-examples/target/cds-examples.jar batch \
    --threads 2 --out "$WORK/batch-$N" "${COMMON[@]}" "$EXPORT"
  timed "spark-local[2]" "$N" java "${SPARK_FLAGS[@]}" -Xmx"$HEAP" -cp "$SPARK_CP" \
    io.github.cdsengine.spark.SparkPopulationRun --master 'local[2]' --input "$EXPORT" \
    --out "$WORK/spark-$N" "${COMMON[@]}"
  cmp -s "$WORK/batch-$N/summary.json" "$WORK/spark-$N/summary.json" \
    || { echo "summary.json differs between the runners for $N patients"; exit 1; }
done
echo "summary.json byte-identical between the runners at every size"
