#!/usr/bin/env bash
# Benchmark of the speech model on the release build: `rehearse feedback` on a 60 s answer
# (wall time and peak memory, from GNU time; the README's target is under 15 s on 2 cores
# and under 1.2 GB), then the model's load time and its CPU per second of audio, published
# `.ort` files against the converted model (benches/transcribe/measure.rs). The answer is
# espeak-ng speaking a paragraph, joined by sox into 60 s. Needs the model in
# target/test-models/model (`cargo test feedback` unpacks it). Not part of `cargo test`.
#
#   benches/transcribe.sh             # 3 runs of feedback
#   RUNS=5 benches/transcribe.sh
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-3}
MODEL=target/test-models/model
DIR=target/bench-transcribe
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "GNU time ($TIME) is needed: apt-get install time" >&2; exit 1; }
[ -f "$MODEL/decoder_model_merged.ort" ] || { echo "no model in $MODEL: run cargo test feedback first" >&2; exit 1; }
mkdir -p "$DIR"

text="Um, so in my last role I led the release of information team at a three hundred bed hospital. \
When a breach was confirmed we notified every affected patient by first class mail within sixty days of discovery, \
and for more than five hundred people in one state we also told the local media. You know, the hardest part was \
the substitute notice, when addresses were out of date. We posted it on the website for ninety days and kept a \
toll free number open. Uh, business associates had to tell us within sixty days, and we checked state law, \
which was sometimes stricter. I guess the main lesson was to keep the contact details current."
if [ ! -f "$DIR/answer60.wav" ]; then
  espeak-ng -w "$DIR/part.wav" "$text"
  sox "$DIR/part.wav" -r 16000 "$DIR/part16.wav"
  sox "$DIR/part16.wav" "$DIR/part16.wav" "$DIR/part16.wav" "$DIR/long.wav"
  sox "$DIR/long.wav" "$DIR/answer60.wav" trim 0 60
fi
echo "answer: $(soxi -D "$DIR/answer60.wav") s"

cargo build --release --quiet --bin rehearse --example transcribe-measure
export REHEARSE_MODEL="$MODEL" REHEARSE_DATA_DIR="$DIR/data" REHEARSE_CACHE_DIR="$DIR/cache"
# The first run converts the model into the cache; the runs after it load from there.
for i in $(seq 0 "$RUNS"); do
  what=$([ "$i" = 0 ] && echo "first use (converts)" || echo "run $i")
  "$TIME" -f "feedback, $what: %e s wall, %U s user, %M KB peak" \
    target/release/rehearse feedback --json "$DIR/answer60.wav" >/dev/null
done
rm -rf "$DIR/cache"
target/release/examples/transcribe-measure "$MODEL" "$DIR/answer60.wav"
