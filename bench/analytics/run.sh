#!/usr/bin/env bash
# Ingest and report benchmark for Tally's analytics (method: README.md beside this file).
# Usage: bench/analytics/run.sh [SIZE_MB=1024] [SEED=1]     (results: $WORK/results.md)
# BASELINE=path/to/an/older/Tally.Analytics.Bench adds that build's ingest as a row (before/after).
set -euo pipefail
SIZE_MB=${1:-1024}
SEED=${2:-1}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=${WORK:-/tmp/tally-analytics-bench}
CORPUS="$WORK/corpus-${SIZE_MB}mb-seed${SEED}"
BENCH="$ROOT/bench/Tally.Analytics.Bench/bin/Release/net10.0/Tally.Analytics.Bench"
mkdir -p "$WORK"

dotnet build -c Release "$ROOT/bench/Tally.Analytics.Bench" -v quiet -nologo >/dev/null
if [ ! -d "$CORPUS" ]; then
  "$BENCH" generate "$CORPUS" "$SIZE_MB" "$SEED" 64
fi
LINES=$(cat "$CORPUS"/* | wc -l)
BYTES=$(du -sb "$CORPUS" | cut -f1)

measure() { # name command... → "$WORK/<name>.out" and "$WORK/<name>.time"
  local name=$1; shift
  /usr/bin/time -f "%e %M %U %S" -o "$WORK/$name.time" "$@" >"$WORK/$name.out" 2>&1
}

measure tally "$BENCH" ingest "$CORPUS" "$WORK/tally.duckdb"
if [ -n "${BASELINE:-}" ]; then
  measure baseline "$BASELINE" ingest "$CORPUS" "$WORK/baseline.duckdb"
fi
measure duckdb "$BENCH" duckdb-regex "$CORPUS" "$WORK/regex.duckdb"
GOACCESS="not installed (apt-get install goaccess)"
if command -v goaccess >/dev/null; then
  measure goaccess goaccess "$CORPUS"/* --log-format=AWSS3 --no-progress -o "$WORK/goaccess.json"
  GOACCESS=ok
fi
"$BENCH" reports "$WORK/tally.duckdb" >"$WORK/reports.out"
if [ -n "${BASELINE:-}" ]; then
  "$BASELINE" reports "$WORK/baseline.duckdb" >"$WORK/baseline-reports.out"
fi

row() { # name accounted-for
  local wall rss user sys; read -r wall rss user sys <"$WORK/$1.time"
  printf '| %s | %s | %.1f | %.0f | %.0f | %s |\n' "$1" "$wall" "$(echo "$user + $sys" | bc -l)" "$(echo "$LINES / $wall" | bc -l)" "$(echo "$rss / 1024" | bc -l)" "$2"
}
{
  echo "# Analytics benchmark: $SIZE_MB MiB corpus (seed $SEED), $LINES lines, $BYTES bytes, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  echo "| tool | wall s | CPU s | lines/s | peak RSS MiB | lines accounted for |"
  echo "|---|---|---|---|---|---|"
  row tally "$(grep -o 'read [0-9]* lines, loaded [0-9]*, rejected [0-9]*' "$WORK/tally.out")"
  if [ -n "${BASELINE:-}" ]; then
    row baseline "$(grep -o 'read [0-9]* lines, loaded [0-9]*, rejected [0-9]*' "$WORK/baseline.out")"
  fi
  row duckdb "$(grep -o 'lines=[0-9]* unmatched=[0-9]*' "$WORK/duckdb.out") (unmatched = all-NULL rows, as in Athena)"
  if [ "$GOACCESS" = ok ]; then
    row goaccess "$(python3 -c "import json;g=json.load(open('$WORK/goaccess.json'))['general'];print(f\"total {g['total_requests']}, valid {g['valid_requests']}, failed {g['failed_requests']}\")")"
  else
    echo "| goaccess | $GOACCESS | | | | |"
  fi
  echo
  echo '```'
  cat "$WORK/reports.out"
  echo '```'
  if [ -n "${BASELINE:-}" ]; then
    echo
    echo "Baseline reports (its own SQL on its own warehouse):"
    echo
    echo '```'
    cat "$WORK/baseline-reports.out"
    echo '```'
  fi
} >"$WORK/results.md"
cat "$WORK/results.md"
