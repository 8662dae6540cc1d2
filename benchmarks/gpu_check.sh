#!/bin/sh
# Issue 15's figures on a machine with a GPU, CuPy and PyTorch (CUDA) installed, from a checkout
# of chainrule (no install needed): the five workloads against PyTorch CUDA eager and hand-written
# CuPy at the benchmark sizes and with 32x larger batches, then the device tests — the registry of
# primitives through every view, the transforms, nn, optim, the programs — on real CuPy arrays
# instead of the test double. Results go to ${OUT:-gpu-results}/.
#   sh benchmarks/gpu_check.sh
set -u
out=${OUT:-gpu-results}
mkdir -p "$out/full" "$out/large"
export PYTHONPATH="$PWD/src:$PWD/tests${PYTHONPATH:+:$PYTHONPATH}" PYTHONUNBUFFERED=1
python3 -c "import cupy, torch, numpy, chainrule; print('CuPy', cupy.__version__, '| PyTorch', torch.__version__, \
'| NumPy', numpy.__version__, '| cr.cuda.is_available():', chainrule.cuda.is_available())"
timeout 240 python3 -m chainrule bench --device cuda --against torch --repeat 200 --out "$out/full" > /dev/null
timeout 180 python3 -m chainrule bench --device cuda --large --against torch --repeat 40 --out "$out/large" > /dev/null
CHAINRULE_TEST_DEVICE=cupy timeout 300 python3 -m pytest -p no:cacheprovider -q -rf tests/device tests/test_cuda.py \
    tests/test_random.py tests/test_readme.py tests/bench 2>&1 | tee "$out/device-tests.log" | tail -25
grep -h -A12 "^## Targets" "$out/full/latest.md" "$out/large/latest.md"
