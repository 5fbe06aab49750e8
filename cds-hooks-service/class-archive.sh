#!/usr/bin/env bash
# Writes a class-data archive for the CDS Hooks service (or, with JAR=cds-examples/target/
# cds-examples.jar, for the cds command line), so that it starts faster: the classes a start loads
# (Drools' compiler, Jetty, Jackson ...) are read from the archive already parsed and verified
# instead of from the jars. A training run starts the service with the options given, builds
# every service and stops (--exit-when-ready); for the command line, the training run is the
# command given (e.g. `run --pack ... PATIENT`). The archive is written from it.
#   - JDK 25 and later: an AOT cache (JEP 483/514/515: classes loaded and linked, and method
#     profiles), run with: java -XX:AOTCache=ARCHIVE -jar cds-hooks-service.jar ...
#   - JDK 17 to 24: a static class-data sharing archive from the training run's class list, run
#     with: java -XX:SharedArchiveFile=ARCHIVE -jar cds-hooks-service.jar ...
#     JDK 17 crashes while archiving lambda proxy classes (SIGSEGV in
#     SystemDictionaryShared::adjust_lambda_proxy_class_dictionary, also with
#     -XX:ArchiveClassesAtExit), so they are left out of the class list.
# An archive belongs to the JDK that wrote it and to the jar's class path: write it again after
# each build or JDK update. A JVM given an archive it cannot use starts without it (-Xlog:cds
# tells why; -Xshare:on makes it refuse to start instead).
# Usage, from the repository root after `mvn -q package -DskipTests`; the options are the ones the
# service is started with, except --port (or the command line's command and options):
#   JAVA=/path/to/java bash cds-hooks-service/class-archive.sh ARCHIVE [service options...]
#   JAR=cds-examples/target/cds-examples.jar bash cds-hooks-service/class-archive.sh ARCHIVE \
#     run --pack uspstf-colorectal-cancer-screening PATIENT
set -euo pipefail
if [ $# -lt 1 ]; then
  sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 2
fi
ARCHIVE=$1; shift
JAVA=${JAVA:-java}
JAR=${JAR:-$(dirname "$0")/target/cds-hooks-service.jar}
# The archive records the jar's path: an absolute one holds wherever the service starts from.
JAR=$(cd "$(dirname "$JAR")" && pwd)/$(basename "$JAR")
FEATURE=$("$JAVA" -XshowSettings:properties -version 2>&1 \
  | awk -F'= ' '/java.specification.version/ {print $2}')
TRAIN=(-jar "$JAR" "$@")
if [ "$(basename "$JAR")" = cds-hooks-service.jar ]; then
  TRAIN+=(--port 0 --exit-when-ready)
fi
if [ "${FEATURE%%.*}" -ge 25 ]; then
  "$JAVA" -XX:AOTCacheOutput="$ARCHIVE" "${TRAIN[@]}"
  echo "AOT cache written: $ARCHIVE; start with: $JAVA -XX:AOTCache=$ARCHIVE -jar $JAR ..." >&2
else
  LIST=$(mktemp)
  trap 'rm -f "$LIST" "$LIST.classes"' EXIT
  "$JAVA" -XX:DumpLoadedClassList="$LIST" "${TRAIN[@]}"
  grep -v '^@lambda-proxy' "$LIST" > "$LIST.classes"
  "$JAVA" -Xshare:dump -XX:SharedClassListFile="$LIST.classes" -XX:SharedArchiveFile="$ARCHIVE" \
    -cp "$JAR" -Xlog:cds=error > /dev/null
  echo "class-data archive written: $ARCHIVE; start with:" \
    "$JAVA -XX:SharedArchiveFile=$ARCHIVE -jar $JAR ..." >&2
fi
