"""The batching rules (for vmap) of the primitives that act along an axis or on whole signals: applied to
examples stacked along any axis, each equals the loop over the examples, stacked."""

import numpy as np
import pytest

import chainrule as cr

NAMES = ["cumsum", "cumprod", "sort", "argsort", "argpartition", "searchsorted", "correlate"]


def _examples(prim):
    """Each sample, and three perturbed copies of its array arguments."""
    rng = np.random.default_rng(0)
    for args, params in prim.samples(rng):
        copies = [[a + 0.1 * k if isinstance(a, np.ndarray) and a.dtype.kind in "fc" else a for a in args]
                  for k in range(3)]
        yield args, params, copies


@pytest.mark.parametrize("name", NAMES)
def test_a_batched_application_equals_the_loop_over_examples(name):
    prim = cr.primitives[name]
    for args, params, copies in _examples(prim):
        for batched in range(len(args)):
            if not isinstance(args[batched], np.ndarray):
                continue
            for axis in range(np.ndim(args[batched]) + 1):
                stacked = list(args)
                stacked[batched] = np.stack([c[batched] for c in copies], axis=axis)
                dims = [axis if k == batched else None for k in range(len(args))]
                out, out_dim = prim.batch(stacked, dims, params)
                looped = [prim.impl(*[c[k] if k == batched else args[k] for k in range(len(args))], **params)
                          for c in copies]
                np.testing.assert_allclose(np.moveaxis(np.asarray(out), out_dim, 0), np.stack(looped))
