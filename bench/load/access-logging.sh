#!/usr/bin/env bash
# Access logging on vs off (issue 5): small-object (4 KiB) GET and PUT throughput and latency at
# concurrency 32 against one real `tally serve` over loopback, first on a bucket without logging,
# then on a bucket that logs into another one (same server, same data dir, same disk). Uses wrk
# with presigned URLs (presign.py, s3.lua) like run.sh. Env: DURATION (s, default 10), BENCH_DIR
# (default artifacts/bench-logging), PORT (default a free one), ROUNDS (alternations, default 2).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
root=$(pwd)
duration=${DURATION:-10}
rounds=${ROUNDS:-2}
bench_dir=${BENCH_DIR:-$root/artifacts/bench-logging}
python=/usr/bin/python3
port=${PORT:-$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
endpoint="http://127.0.0.1:$port"
size=4096

export AWS_ACCESS_KEY_ID=TALLYBENCHACCESSKEY1
export AWS_SECRET_ACCESS_KEY=bench/Secret+Key0123456789abcdefghijklmno
export AWS_DEFAULT_REGION=us-east-1

command -v wrk >/dev/null || { echo "missing: wrk" >&2; exit 1; }
"$python" -c "import boto3" 2>/dev/null || { echo "missing: python3-boto3" >&2; exit 1; }

rm -rf "$bench_dir/data" "$bench_dir/work"
mkdir -p "$bench_dir/data" "$bench_dir/work"
echo "building tally (Release) into $bench_dir"
dotnet publish src/Tally.Cli -c Release -o "$bench_dir/tally" -nologo >"$bench_dir/publish.log" 2>&1 \
  || { grep -E 'error|Error' "$bench_dir/publish.log" >&2; exit 1; }

TALLY_ROOT_ACCESS_KEY=$AWS_ACCESS_KEY_ID TALLY_ROOT_SECRET_KEY=$AWS_SECRET_ACCESS_KEY \
  "$bench_dir/tally/tally" serve --data "$bench_dir/data" --listen "127.0.0.1:$port" >"$bench_dir/server.log" 2>&1 &
server_pid=$!
trap 'kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
  kill -0 "$server_pid" 2>/dev/null || { cat "$bench_dir/server.log"; exit 1; }
  sleep 0.1
done

for bucket in plain logged; do
  "$python" bench/load/presign.py "$endpoint" "$bucket" put "$size" 256 "$bench_dir/work/put-$bucket.paths"
  "$python" bench/load/presign.py "$endpoint" "$bucket" get "$size" 256 "$bench_dir/work/get-$bucket.paths"
done
head -c "$size" /dev/urandom >"$bench_dir/work/body"
"$python" - "$endpoint" <<'PY'
import sys, boto3
from botocore.config import Config
s3 = boto3.client("s3", endpoint_url=sys.argv[1], region_name="us-east-1", config=Config(signature_version="s3v4", s3={"addressing_style": "path"}))
s3.create_bucket(Bucket="bench-logs")
s3.put_bucket_logging(Bucket="logged", BucketLoggingStatus={"LoggingEnabled": {"TargetBucket": "bench-logs", "TargetPrefix": "logged/"}})
PY

results="$bench_dir/results.txt"
: >"$results"
for round in $(seq 1 "$rounds"); do
  for op in GET PUT; do
    for bucket in plain logged; do
      lower=${op,,}
      line=$(WRK_METHOD=$op WRK_PATHS="$bench_dir/work/$lower-$bucket.paths" WRK_BODY="$bench_dir/work/body" WRK_SIZE=$size \
        wrk -t2 -c32 -d"${duration}s" --timeout 30s -s bench/load/s3.lua "$endpoint" | grep '^RESULT')
      kill -0 "$server_pid" || { cat "$bench_dir/server.log"; exit 1; }
      echo "$round $op $bucket | $line" | tee -a "$results"
    done
  done
done

# RESULT method size requests req/s MiB/s p50 p90 p99 errors (fields 5.. after "round op bucket |")
echo
printf '%-5s %-4s %-7s | %10s %9s %9s %9s %6s\n' round op bucket "req/s" "p50 ms" "p90 ms" "p99 ms" errors
awk '{ printf "%-5s %-4s %-7s | %10s %9s %9s %9s %6s\n", $1, $2, $3, $9, $11, $12, $13, $14 }' "$results"
echo
echo "log objects delivered so far: $("$python" - "$endpoint" <<'PY'
import sys, boto3
from botocore.config import Config
s3 = boto3.client("s3", endpoint_url=sys.argv[1], region_name="us-east-1", config=Config(signature_version="s3v4", s3={"addressing_style": "path"}))
print(s3.list_objects_v2(Bucket="bench-logs").get("KeyCount", 0))
PY
)"
"$bench_dir/tally/tally" logs status --data "$bench_dir/data" || true
