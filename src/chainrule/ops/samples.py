"""Sample inputs declared next to each primitive, for the registry-driven gradient test.

A sampler is ``sampler(rng) -> list of (args, params)``; float arguments are float64
arrays away from kinks and singularities of the op.
"""


def uniform(*shapes, low=-2.0, high=2.0, params=None):
    """One sample per shape tuple: arguments drawn uniformly from [low, high]."""
    def sampler(rng):
        return [(tuple(rng.uniform(low, high, size=s) for s in group), dict(params or {}))
                for group in shapes]
    return sampler


def away_from_zero(*shapes, low=0.3, high=2.0, params=None):
    """Arguments with |x| in [low, high] and random signs."""
    def sampler(rng):
        out = []
        for group in shapes:
            args = tuple(rng.uniform(low, high, size=s) * rng.choice([-1.0, 1.0], size=s) for s in group)
            out.append((args, dict(params or {})))
        return out
    return sampler


def complex_uniform(*shapes, low=-2.0, high=2.0):
    """One sample per shape: a complex128 argument with real and imaginary parts uniform in [low, high]."""
    def sampler(rng):
        return [((rng.uniform(low, high, size=s) + 1j * rng.uniform(low, high, size=s),), {}) for s in shapes]
    return sampler


def explicit(*cases):
    """Hand-written samples: each case is ``lambda rng: (args, params)``."""
    def sampler(rng):
        return [case(rng) for case in cases]
    return sampler


UNARY = ((3,), (2, 3), ())
BINARY = (((2, 3), (2, 3)), ((2, 3), (3,)), ((2, 1), (1, 3)), ((), (2,)))
