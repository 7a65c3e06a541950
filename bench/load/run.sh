#!/usr/bin/env bash
# Load benchmark (bench/load/README.md): PUT and GET of 4 KiB and 64 MiB objects at concurrency 1
# and 32 against a real `tally serve` over loopback with wrk and presigned URLs, beside the same
# operations as plain file I/O on the same disk (filecopy.c) — the physical limit.
# Env: DURATION (seconds per measurement, default 10), BENCH_DIR (default artifacts/bench, on the
# repo's disk), PORT (default: a free one). Loopback only; every run is bounded by DURATION.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
root=$(pwd)
duration=${DURATION:-10}
bench_dir=${BENCH_DIR:-$root/artifacts/bench}
python=/usr/bin/python3
# A port nobody listens on: a busy one would send the load to someone else's server.
port=${PORT:-$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
endpoint="http://127.0.0.1:$port"

export AWS_ACCESS_KEY_ID=TALLYBENCHACCESSKEY1
export AWS_SECRET_ACCESS_KEY=bench/Secret+Key0123456789abcdefghijklmno
export AWS_DEFAULT_REGION=us-east-1

need=()
command -v wrk >/dev/null || need+=(wrk)
"$python" -c "import boto3" 2>/dev/null || need+=(python3-boto3)
command -v gcc >/dev/null || need+=(gcc)
if ((${#need[@]})); then
  if [[ $(id -u) -eq 0 ]]; then
    apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "missing: ${need[*]} (apt-get install them)" >&2
    exit 1
  fi
fi

rm -rf "$bench_dir/data" "$bench_dir/files" "$bench_dir/work"
mkdir -p "$bench_dir/data" "$bench_dir/files" "$bench_dir/work"
echo "building tally (Release) and the file baseline into $bench_dir"
dotnet publish src/Tally.Cli -c Release -o "$bench_dir/tally" -nologo >"$bench_dir/publish.log" 2>&1 \
  || { grep -E 'error|Error' "$bench_dir/publish.log" >&2; echo "dotnet publish failed ($bench_dir/publish.log)" >&2; exit 1; }
gcc -O2 -pthread -o "$bench_dir/filecopy" bench/load/filecopy.c

TALLY_ROOT_ACCESS_KEY=$AWS_ACCESS_KEY_ID TALLY_ROOT_SECRET_KEY=$AWS_SECRET_ACCESS_KEY \
  "$bench_dir/tally/tally" serve --data "$bench_dir/data" --listen "127.0.0.1:$port" >"$bench_dir/server.log" 2>&1 &
server_pid=$!
# If the server dies mid-run, say how (exit status; 128+N is signal N) instead of "connection refused".
ensure_server() {
  if ! kill -0 "$server_pid" 2>/dev/null; then
    local status=0
    wait "$server_pid" || status=$?
    echo "tally serve exited with status $status during: $1; its output:" >&2
    cat "$bench_dir/server.log" >&2
    exit 1
  fi
}
trap 'kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
  kill -0 "$server_pid" 2>/dev/null || { cat "$bench_dir/server.log"; exit 1; }
  sleep 0.1
done
ensure_server "start"

results="$bench_dir/results.txt"
: >"$results"

for size in 4096 67108864; do
  if ((size < 1048576)); then keys=256; get_objects=256; else keys=32; get_objects=8; fi
  head -c "$size" /dev/urandom >"$bench_dir/work/body-$size"
  "$python" bench/load/presign.py "$endpoint" bench put "$size" "$keys" "$bench_dir/work/put-$size.paths"
  "$python" bench/load/presign.py "$endpoint" bench get "$size" "$get_objects" "$bench_dir/work/get-$size.paths"
  ensure_server "upload of the $size-byte objects"
  for op in PUT GET; do
    for concurrency in 1 32; do
      threads=$((concurrency > 1 ? 2 : 1))
      # 32 concurrent 64 MiB PUTs take ~20 s to drain on a 100 MB/s disk and wrk counts only the
      # requests that finish inside the window: large objects get a longer one.
      seconds=$duration
      if ((size >= 1048576)); then seconds=$((concurrency > 1 ? duration * 6 : duration * 2)); fi
      lower=${op,,}
      tally_line=$(WRK_METHOD=$op WRK_PATHS="$bench_dir/work/$lower-$size.paths" WRK_BODY="$bench_dir/work/body-$size" WRK_SIZE=$size \
        wrk -t"$threads" -c"$concurrency" -d"${seconds}s" --timeout 120s -s bench/load/s3.lua "$endpoint" | grep '^RESULT')
      ensure_server "$op $size bytes at concurrency $concurrency"
      rm -rf "$bench_dir/files"/*
      disk_line=$("$bench_dir/filecopy" "$lower" "$bench_dir/files" "$size" "$concurrency" "$seconds")
      echo "$op $size $concurrency | tally $tally_line | disk $disk_line" | tee -a "$results"
    done
  done
done

# Each line: op size conc | tally RESULT method size requests req/s MiB/s p50 p90 p99 errors | disk op size conc ops ops/s MiB/s p50 p90 p99
echo
printf '%-4s %8s %4s | %10s %9s %9s %9s %6s | %10s %9s %9s %9s | %s\n' \
  op size conc "tally op/s" "MiB/s" "p50 ms" "p99 ms" errors "disk op/s" "MiB/s" "p50 ms" "p99 ms" "disk/tally MiB/s"
awk '{
  size = ($2 >= 1048576) ? ($2 / 1048576) "MiB" : ($2 / 1024) "KiB";
  ratio = ($11 > 0) ? sprintf("%.2f", $23 / $11) : "-";
  printf "%-4s %8s %4s | %10s %9s %9s %9s %6s | %10s %9s %9s %9s | %s\n", $1, size, $3, $10, $11, $12, $14, $15, $22, $23, $24, $26, ratio
}' "$results"
rm -rf "$bench_dir/data" "$bench_dir/files" "$bench_dir/work"
