#!/usr/bin/env bash
# Score extraction on the evaluation sets in ../shared/eval (none of their text enters this repository).
#   bash scripts/evaluate.sh [seeds] [dev] [fakes] [--misses N]
# With no set named: seeds and dev. Prints the scorers' lines; keeps the exports in $EVAL_OUT (default .eval/).
set -euo pipefail
cd "$(dirname "$0")/.."
EVAL=${EVAL_DIR:-../shared/eval}
OUT=${EVAL_OUT:-.eval}
CW=${CLAIMWATCH:-.venv/bin/claimwatch}
sets=(); misses=()
while [ $# -gt 0 ]; do
  case "$1" in
    --misses) misses=(--misses "$2"); shift 2 ;;
    *) sets+=("$1"); shift ;;
  esac
done
[ ${#sets[@]} -gt 0 ] || sets=(seeds dev)
mkdir -p "$OUT"
run() {  # NAME INPUT
  rm -f "$OUT/$1.db" "$OUT/$1.db-wal" "$OUT/$1.db-shm"
  "$CW" --db "$OUT/$1.db" ingest "$2" >/dev/null 2>"$OUT/$1.err" || true
  "$CW" --db "$OUT/$1.db" export --format jsonl -o "$OUT/$1.jsonl" 2>>"$OUT/$1.err"
}
for s in "${sets[@]}"; do
  case "$s" in
    seeds) run seeds ../shared/corpus
           echo "== seeds"; python3 "$EVAL/score.py" --gold "$EVAL/gold/seeds" --pred "$OUT/seeds.jsonl" "${misses[@]}" ;;
    dev)   run dev "$EVAL/multi-dev/multi-dev.jsonl"
           echo "== multi-dev"; python3 "$EVAL/score.py" --gold "$EVAL/multi-dev/gold" --pred "$OUT/dev.jsonl" "${misses[@]}" ;;
    fakes) run fakes "$EVAL/fakes/articles.jsonl"
           echo "== fakes"; python3 "$EVAL/fakes/score_fakes.py" "$EVAL/fakes/gold.jsonl" "$OUT/fakes.jsonl" "${misses[@]}"; echo ;;
    *) echo "evaluate: unknown set $s (seeds, dev, fakes)" >&2; exit 2 ;;
  esac
done
