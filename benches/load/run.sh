#!/usr/bin/env bash
# The load benchmark: the platform against the bare actix-web/SQLite stack (benches/load/bare.rs),
# under wrk with the same connections and duration. Prints one Markdown table row per case.
#
#   benches/load/run.sh
#
# Knobs (environment):
#   DURATION=8          seconds per case (every wrk run is bounded by it)
#   CONNECTIONS=64      wrk connections (split evenly over the instances)
#   THREADS=2           wrk threads (per wrk process)
#   EXPERTS=10000       demo experts seeded into a fresh database (hackhelpdesk seed-demo)
#   DATABASE=sqlite     or postgres (a fresh database on PG_URL, dropped afterwards)
#   PG_URL=postgres://postgres@127.0.0.1:5432
#   INSTANCES=1         or 2: two platform processes on one PostgreSQL database, one wrk each
#   WRK_TIMEOUT=2s      wrk's request timeout; timed-out requests count as errors
#   PORT_BASE=18080     platform on PORT_BASE(+1), the bare counterparts on PORT_BASE+10
#   KEEP=1              keep the work directory (databases, logs, mail) for a look afterwards
set -euo pipefail
shopt -s inherit_errexit

DURATION=${DURATION:-8}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
EXPERTS=${EXPERTS:-10000}
DATABASE=${DATABASE:-sqlite}
PG_URL=${PG_URL:-postgres://postgres@127.0.0.1:5432}
INSTANCES=${INSTANCES:-1}
WRK_TIMEOUT=${WRK_TIMEOUT:-2s}
PORT_BASE=${PORT_BASE:-18080}
KEEP=${KEEP:-}

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"
say() { echo "run.sh: $*" >&2; }
die() { say "$*"; exit 1; }

case "$DATABASE" in sqlite | postgres) ;; *) die "DATABASE must be sqlite or postgres" ;; esac
case "$INSTANCES" in 1 | 2) ;; *) die "INSTANCES must be 1 or 2" ;; esac
[ "$INSTANCES" = 1 ] || [ "$DATABASE" = postgres ] || die "INSTANCES=2 needs DATABASE=postgres"
[ $((CONNECTIONS % INSTANCES)) = 0 ] || die "CONNECTIONS must divide evenly over INSTANCES"

# --- tools --------------------------------------------------------------------------------------
missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v curl >/dev/null || missing+=(curl)
[ "$DATABASE" = sqlite ] || command -v psql >/dev/null || missing+=(postgresql-client)
if [ ${#missing[@]} -gt 0 ]; then
  say "installing: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi

# --- build (release); the executables' paths come from cargo, wherever CARGO_TARGET_DIR is -----
# The artifact of the named target: a fresh `cargo bench` also builds the product binary, which
# may finish last, so the last executable printed is not necessarily the one asked for.
executable() { grep "\"name\":\"$1\"" | grep -o '"executable":"[^"]*"' | tail -n1 | cut -d'"' -f4; }
say "building (release)"
platform_bin=$(cargo build --release --bin hackhelpdesk --message-format=json | executable hackhelpdesk)
bare_bin=$(cargo bench --no-run --bench bare --message-format=json | executable bare)
[ -x "$platform_bin" ] && [ -x "$bare_bin" ] || die "build produced no executables"

# --- a fresh work directory and database; everything started is stopped on exit ---------------
work=$(mktemp -d "${TMPDIR:-/tmp}/hhd-load.XXXXXX")
pids=()
pg_db="hhd_load_$$"
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "$DATABASE" = postgres ]; then
    psql "$PG_URL/postgres" -qAtc "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)" >/dev/null 2>&1 || true
  fi
  if [ -n "$KEEP" ]; then say "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ "$DATABASE" = sqlite ]; then
  export DATABASE_URL="sqlite://$work/platform.db"
else
  export DATABASE_URL="$PG_URL/$pg_db"
fi
export RATE_LIMITS=off MAIL_DIR="$work/mail"
unset SMTP_URL METRICS_TOKEN

say "seeding $EXPERTS demo experts ($DATABASE)"
"$platform_bin" seed-demo --experts "$EXPERTS" >"$work/seed.log" 2>&1 || {
  cat "$work/seed.log" >&2
  die "seed-demo failed"
}

wait_for() { # URL LOG: until it answers, at most 60 s
  for _ in $(seq 1 600); do
    curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  cat "$2" >&2
  die "no answer from $1"
}

ports=()
platform_pids=()
for i in $(seq 1 "$INSTANCES"); do
  port=$((PORT_BASE + i - 1))
  BIND_ADDR="127.0.0.1:$port" PUBLIC_URL="http://127.0.0.1:$port" \
    "$platform_bin" serve >"$work/platform-$i.log" 2>&1 &
  pids+=($!)
  platform_pids+=($!)
  ports+=("$port")
done
for i in "${!ports[@]}"; do
  wait_for "http://127.0.0.1:${ports[$i]}/readyz" "$work/platform-$((i + 1)).log"
done
platform="http://127.0.0.1:${ports[0]}"

# The bare JSON endpoint serves the platform's own incident-types answer: the same bytes.
curl -fsS "$platform/api/v1/incident-types" >"$work/incident-types.json"
bare_port=$((PORT_BASE + 10))
BARE_JSON_FILE="$work/incident-types.json" BARE_DB="$work/bare.db" \
  "$bare_bin" serve "127.0.0.1:$bare_port" >"$work/bare.log" 2>&1 &
bare_pid=$!
pids+=("$bare_pid")
bare="http://127.0.0.1:$bare_port"
wait_for "$bare/json" "$work/bare.log"

# One intake (the body of tests/api/helpers.rs intake_body()) to read back with its token.
created=$(curl -fsS -H 'Content-Type: application/json' "$platform/api/v1/intakes" --data-binary \
  '{"incident_type":"ransomware","urgency":"acute","description":"Alle bestanden zijn versleuteld en er staat een losgeldbericht op het scherm.","location":{"place":"Bergen op Zoom"},"needs_on_site":true,"language":"nl","contact":{"name":"Jan de Vries","email":"jan@bakkerij-devries.nl","phone":"+31 6 8765 4321"},"company":{"name":"Bakkerij De Vries","kvk_number":"87654321","employees":12,"sector":"bakkerij"},"consent_to_share":true,"disclaimer_accepted":true}')
intake_id=$(grep -o '"id":"[^"]*"' <<<"$created" | head -n1 | cut -d'"' -f4)
intake_token=$(grep -o '"access_token":"[^"]*"' <<<"$created" | cut -d'"' -f4)
[ -n "$intake_id" ] && [ -n "$intake_token" ] || die "creating the intake failed: $created"

# --- measuring ----------------------------------------------------------------------------------
rss_mb() { # PID...: resident memory in MB, summed as "a + b" for several processes
  local out=() pid
  for pid in "$@"; do
    out+=("$(awk '/^VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$pid/status")")
  done
  local IFS=+
  sed 's/+/ + /g' <<<"${out[*]} MB"
}

# wrk_case NAME CONNS URL SCRIPT_ARG [wrk options...]: runs wrk once against URL (the script's
# init(args) gets SCRIPT_ARG as args[1]); prints its WRKRESULT line.
wrk_case() {
  local name=$1 conns=$2 url=$3 arg=$4
  shift 4
  timeout $((DURATION + 30)) wrk --latency -t "$THREADS" -c "$conns" -d "${DURATION}s" \
    --timeout "$WRK_TIMEOUT" "$@" "$url" "$arg" >"$work/wrk-$name.txt" 2>&1 || true
  grep '^WRKRESULT' "$work/wrk-$name.txt" || die "wrk failed for $name: $(cat "$work/wrk-$name.txt")"
}

# run_case NAME PATH SCRIPT [wrk args...]: every instance gets its share of the connections, all
# at once; prints "req/s p50_ms p99_ms errors" (p50/p99: the worst instance's).
run_case() {
  local name=$1 path=$2 script=$3
  shift 3
  local conns=$((CONNECTIONS / ${#targets[@]})) i wpids=()
  for i in "${!targets[@]}"; do
    wrk_case "$name-$i" "$conns" "${targets[$i]}$path" "$$-$i" -s "$here/$script" "$@" \
      >"$work/result-$name-$i" &
    wpids+=($!)
  done
  for i in "${wpids[@]}"; do wait "$i"; done
  cat "$work"/result-"$name"-* | awk '{
      for (f = 2; f <= NF; f++) { split($f, kv, "="); v[kv[1]] = kv[2] }
      rps += v["requests"] / (v["duration_us"] / 1e6)
      if (v["p50_us"] > p50) p50 = v["p50_us"]
      if (v["p99_us"] > p99) p99 = v["p99_us"]
      errors += v["non2xx"] + v["timeouts"] + v["socket_errors"]
    } END { printf "%.0f %.2f %.2f %d\n", rps, p50 / 1000, p99 / 1000, errors }'
}

rows=()
# row LABEL "rps p50 p99 errors" RSS [BARE_RPS BARE_LABEL]
row() {
  local label=$1 rss=$3 bare_rps=${4:-} bare_label=${5:-}
  local rps p50 p99 errors
  read -r rps p50 p99 errors <<<"$2"
  local ratio="—"
  if [ -n "$bare_rps" ]; then
    ratio=$(awk -v p="$rps" -v b="$bare_rps" -v l="$bare_label" 'BEGIN {
      r = b > 0 ? 100 * p / b : 0
      printf (r < 1 ? "%.2f %% of %s" : "%.0f %% of %s"), r, l }')
  fi
  rows+=("$(printf '| %s | %s | %s ms | %s ms | %s | %s | %s |' \
    "$label" "$(printf "%'d" "$rps")" "$p50" "$p99" "$errors" "$rss" "$ratio")")
  say "done: $label"
}

targets=("$bare")
say "bare GET /json"
bare_json=$(run_case bare-json /json report.lua)
row "bare \`GET /json\`" "$bare_json" "$(rss_mb "$bare_pid")"
say "bare POST /insert"
bare_insert=$(run_case bare-insert /insert intake.lua)
row "bare \`POST /insert\` (SQLite)" "$bare_insert" "$(rss_mb "$bare_pid")"

targets=()
for port in "${ports[@]}"; do targets+=("http://127.0.0.1:$port"); done
say "platform GET /api/v1/incident-types"
result=$(run_case incident-types /api/v1/incident-types report.lua)
row "\`GET /api/v1/incident-types\`" "$result" "$(rss_mb "${platform_pids[@]}")" \
  "${bare_json%% *}" "bare GET"
say "platform GET /api/v1/intakes/{id}"
result=$(run_case intake-get "/api/v1/intakes/$intake_id" report.lua \
  -H "Authorization: Bearer $intake_token")
row "\`GET /api/v1/intakes/{id}\`" "$result" "$(rss_mb "${platform_pids[@]}")" \
  "${bare_json%% *}" "bare GET"
say "platform POST /api/v1/intakes"
result=$(run_case intakes /api/v1/intakes intake.lua)
row "\`POST /api/v1/intakes\`, $(printf "%'d" "$EXPERTS") experts" "$result" \
  "$(rss_mb "${platform_pids[@]}")" "${bare_insert%% *}" "bare SQLite insert"

echo
echo "$DATABASE, $INSTANCES instance(s), $(printf "%'d" "$EXPERTS") experts; wrk $THREADS threads," \
  "$CONNECTIONS connections, ${DURATION} s per case, timeout $WRK_TIMEOUT;" \
  "$(nproc) cores; $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $(date -u +%Y-%m-%d)"
echo
echo "| case | req/s | p50 | p99 | errors | RSS after | vs bare |"
echo "|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
