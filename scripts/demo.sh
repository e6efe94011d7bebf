#!/usr/bin/env bash
# The main job on the sample corpus: set up, ingest ../shared/corpus, show what was stored, export it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
CORPUS=${1:-../shared/corpus}
DB=${CLAIMWATCH_DB:-sample.db}
rm -f "$DB" "$DB-wal" "$DB-shm"
.venv/bin/claimwatch --db "$DB" ingest "$CORPUS"
.venv/bin/claimwatch --db "$DB" summary
.venv/bin/claimwatch --db "$DB" disputes --limit 10
.venv/bin/claimwatch --db "$DB" export --format jsonl -o sample.jsonl
if [ -f ../shared/eval/score.py ]; then
  python3 ../shared/eval/score.py --gold ../shared/eval/gold/seeds --pred sample.jsonl
fi
