"""cr.cuda answers PyTorch's queries: whether a GPU can be used and how many there are."""

import subprocess
import sys

import chainrule as cr


def test_without_cupy_no_gpu_is_available(no_gpu):
    assert cr.cuda.is_available() is False
    assert cr.cuda.device_count() == 0


def test_with_a_gpu_backend_one_is_available(gpu):
    assert cr.cuda.is_available() is True
    assert cr.cuda.device_count() >= 1


def test_importing_chainrule_does_not_import_cupy():
    code = "import sys, chainrule, chainrule.numpy, chainrule.nn; print('cupy' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "False", result.stderr
