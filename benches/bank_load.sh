#!/usr/bin/env bash
# How long loading a big bank takes and how much memory it needs: 100,000 questions as
# TOML, and an 8 MB file nested millions of levels deep (refused before it is parsed).
# Usage: benches/bank_load.sh [path/to/rehearse]   (default: builds target/release/rehearse)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-}
if [ -z "$bin" ]; then
  cargo build --release --quiet
  bin=target/release/rehearse
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$work" <<'PY'
import sys
work = sys.argv[1]
with open(f"{work}/big.toml", "w") as f:
    f.write('name = "big"\n')
    for i in range(100_000):
        f.write(f'[[questions]]\nid = "q{i}"\ntext = "Question {i}?"\n')
n = 4_000_000
with open(f"{work}/deep.toml", "w") as f:
    f.write("a = " + "[" * n + "]" * n + "\n")
PY
export REHEARSE_DATA_DIR="$work/data"
for file in big deep; do
  for _ in 1 2 3; do
    /usr/bin/time -f "$file.toml: %e s, %M KB peak" "$bin" run "$work/$file.toml" --dry-run -n 1 \
      >/dev/null 2>>"$work/times" || true
  done
done
grep -v -e '^rehearse:' -e '^Command exited' "$work/times"
