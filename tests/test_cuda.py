"""cr.cuda answers PyTorch's queries for a library without a GPU backend."""

import chainrule as cr


def test_no_gpu_is_available():
    assert cr.cuda.is_available() is False
    assert cr.cuda.device_count() == 0
