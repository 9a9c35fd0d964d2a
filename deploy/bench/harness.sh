# Shared by deploy/bench/benchmark, faults and bad-inputs (sourced, not run): build what is missing, start a fresh
# local stack of the harness's own (its own data folder, the settings below), run one Java program of the harness
# against it, stop the stack. See deploy/bench/README.md.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BENCH="$ROOT/deploy/bench"
STACK="$ROOT/deploy/local/stack"
MODULES="schemas/contracts,schemas/platform,ingest-service,session-service,dispatch-service,deploy/sandbox,deploy/local/kafka,deploy/local/registry,deploy/bench"

# The services run with production-like JIT (C2), not the stack's fast-start default (-XX:TieredStopAtLevel=1, which
# halves throughput), and the heap the Kubernetes manifests give a small pod. One variable to change for an experiment.
export ANSWERLINE_SERVICE_JAVA_OPTS="${ANSWERLINE_SERVICE_JAVA_OPTS:--Xms256m -Xmx256m -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError}"
# The sandbox has no per-number throughput cap; WhatsApp's (80/s per number, up to 1000/s) is dispatch's rate
# limiter's business, and at 80/s the dispatch stage would measure the limiter. Raised for the harness only.
export ANSWERLINE_SERVICE_ARGS="${ANSWERLINE_SERVICE_ARGS:---answerline.dispatch.providers.throughput.messages-per-second=100000}"
# No Prometheus scraping in the middle of a measurement (the stack starts one when installed).
export ANSWERLINE_PROMETHEUS_BIN="${ANSWERLINE_PROMETHEUS_BIN-}"

log() { printf '[%s %s] %s\n' "$HARNESS_NAME" "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf '[%s] ERROR: %s\n' "$HARNESS_NAME" "$*" >&2; exit 1; }

harness_missing() {
  [[ -d "$BENCH/target/classes/com/answerline/bench" && -d "$BENCH/target/lib" ]] || return 0
  local jar
  for jar in ingest-service/target/ingest-service-0.1.0-SNAPSHOT.jar session-service/target/session-service-0.1.0-SNAPSHOT.jar \
             dispatch-service/target/dispatch-service-0.1.0-SNAPSHOT.jar deploy/sandbox/target/provider-sandbox-0.1.0-SNAPSHOT.jar; do
    [[ -f "$ROOT/$jar" ]] || return 0
  done
  [[ -d "$ROOT/deploy/local/kafka/target/lib" && -d "$ROOT/deploy/local/registry/target/apicurio" ]] || return 0
  return 1
}

# harness_run NAME MAIN_CLASS ARGS...: the whole cycle; honours --build, --running (use the stack that runs on the
# default data folder instead of starting one) and passes every other argument to the program.
harness_run() {
  HARNESS_NAME="$1"; local main="$2"; shift 2
  local build=0 running=0 args=()
  for arg in "$@"; do
    case "$arg" in
      # The usage is the calling script's header comment; nothing is built, started or removed.
      -h|--help) sed -n '2,/^[^#]/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; exit 0 ;;
      --build) build=1 ;;
      --running) running=1 ;;
      *) args+=("$arg") ;;
    esac
  done
  if (( build )) || harness_missing; then
    log "building: ./mvnw -B -q -DskipTests package -pl $MODULES"
    (cd "$ROOT" && ./mvnw -B -q -DskipTests package -pl "$MODULES") || die "build failed"
  fi
  local data
  if (( running )); then
    data="${ANSWERLINE_DATA_DIR:-$ROOT/.data}"
    "$STACK" status >/dev/null || die "--running: the stack of $data is not (fully) running; start it with deploy/local/stack"
  else
    data="${HARNESS_DATA_DIR:-$BENCH/target/$HARNESS_NAME-stack}"
    export ANSWERLINE_DATA_DIR="$data"
    "$STACK" stop >/dev/null 2>&1 || true
    rm -rf "$data"
    log "starting a fresh stack in $data (services: $ANSWERLINE_SERVICE_JAVA_OPTS)"
    trap 'log "stopping the stack"; "$STACK" stop >/dev/null 2>&1 || true' EXIT
    trap 'exit 130' INT TERM
    # shellcheck disable=SC2086
    "$STACK" up --detach --no-build ${HARNESS_STACK_OPTIONS:-} >"$BENCH/target/$HARNESS_NAME-stack-up.log" 2>&1 \
      || { tail -n 40 "$BENCH/target/$HARNESS_NAME-stack-up.log" >&2; die "the stack did not start (log: $BENCH/target/$HARNESS_NAME-stack-up.log)"; }
  fi
  local status=0
  # shellcheck disable=SC2086
  java -Xmx1g ${HARNESS_JAVA_OPTS:-} -cp "$BENCH/target/classes:$BENCH/target/lib/*" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    -Dorg.slf4j.simpleLogger.log.reactor.netty=error \
    "$main" --root "$ROOT" --data-dir "$data" "${args[@]}" || status=$?
  return "$status"
}
