#!/usr/bin/env bash
# The content model's benchmark beside PyTorch's (Debian python3-torch: `apt-get install -y python3-torch python3-numpy`),
# alternating the two so both see the same machine; each timed run first waits (at most MAX_WAIT s) for a quiet machine,
# and PyTorch keeps every run (no retries of disturbed runs), as Earworm does.
#   flock /work/bench.lock bench/content-bench.sh [CATALOG] [RUNS] [MAX_WAIT]      (VARIANTS="full" for one network)
# Prints Earworm's and PyTorch's training and inference clips/s per network at 2 threads, then the embedding rate of
# CATALOG's library (when given).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
catalog="${1:-}"; runs="${2:-3}"; wait="${3:-60}"
dotnet build "$here/bench/Earworm.ContentBenchmarks" -c Release --nologo -v q -clp:ErrorsOnly > /dev/null
bench="$here/bench/Earworm.ContentBenchmarks/bin/Release/net10.0/Earworm.ContentBenchmarks.dll"
anchors="$here/../shared/bench"
[ -d "$anchors" ] || anchors="/work/shared/bench"
for variant in ${VARIANTS:-full small}; do
  echo "== $variant"
  dotnet "$bench" cnn --variant "$variant" --threads 2 --runs "$runs" --steps 10 --infer-batches 10 --max-wait "$wait" | grep -v '^torch threads' || true
  if /usr/bin/python3 -c 'import torch' 2> /dev/null; then
    (cd "$anchors" && WAIT="$wait" /usr/bin/python3 -c "
import sys, os, functools
sys.argv = ['cnn_bench.py', '--threads', '2']
import common
common.wait_idle = functools.partial(common.wait_idle, max_wait=int(os.environ['WAIT']))
common.measure = functools.partial(common.measure, max_attempts=$runs)
import cnn_bench
r = cnn_bench.single('$variant', $runs, 10, 10)
t = r['train_clips_per_s']; i = r['infer_clips_per_s']
print(f\"pytorch {r['env'].get('torch', '') if isinstance(r['env'], dict) else ''} $variant t2: training {t['median']:.1f} clips/s | inference {i['median']:.1f} clips/s\")
" 2>&1 | grep -E '^pytorch|Error|error' || true)
  fi
done
if [ -n "$catalog" ]; then
  echo "== embedding"
  dotnet "$bench" embed --db "$catalog" --threads 2 --runs "$runs" --max-wait "$wait"
fi
