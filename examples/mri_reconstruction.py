"""MRI reconstruction: an image from undersampled Fourier data, by gradient descent with total variation.

An MRI scanner measures the image's 2-D Fourier transform ("k-space") one row at a time. To scan
faster, only some rows are acquired — every low-frequency row near the centre and a random
quarter of the others:

    y = M ⊙ F x        F the orthonormal 2-D DFT, M the 0/1 mask of acquired rows.

Filling the missing rows with zeros and transforming back (the zero-filled reconstruction
F⁻¹ y) smears the image with aliasing. Instead we look for the image that fits the data and is
piecewise smooth, minimizing

    L(x) = ½ ‖M ⊙ F x − y‖²  +  λ Σ_ij √((x_{i+1,j} − x_ij)² + (x_{i,j+1} − x_ij)² + ε²)

by gradient descent. The model is ordinary NumPy code (``import chainrule.numpy as np``); chainrule
differentiates it, and its FFTs' gradients are FFTs again.

    python examples/mri_reconstruction.py [--size 64] [--steps 300]
"""

import argparse

import numpy

import chainrule as cr
import chainrule.numpy as np


def phantom(n):
    """A Shepp–Logan-like n×n test image: ellipses of constant intensity (plain NumPy: data, not model)."""
    rows, cols = numpy.meshgrid(numpy.linspace(-1, 1, n), numpy.linspace(-1, 1, n), indexing="ij")
    image = numpy.zeros((n, n))
    for value, r0, c0, a, b in [(1.0, 0.0, 0.0, 0.9, 0.7), (-0.6, 0.0, 0.0, 0.8, 0.6), (0.3, -0.3, 0.2, 0.25, 0.15),
                                (0.4, 0.25, -0.2, 0.2, 0.3), (0.5, 0.4, 0.3, 0.08, 0.08)]:
        image[((rows - r0) / a) ** 2 + ((cols - c0) / b) ** 2 <= 1] += value
    return image


def sampling_mask(n, fraction=0.25, centre=0.08, seed=0):
    """The n×n mask of acquired k-space rows: all rows with |frequency| < ``centre`` and a random
    ``fraction`` of the others (rows in NumPy's FFT order, frequency 0 first)."""
    rng = numpy.random.default_rng(seed)
    low = numpy.abs(numpy.fft.fftfreq(n)) < centre
    rows = low | (rng.uniform(size=n) < fraction)
    return numpy.repeat(rows[:, None], n, axis=1).astype(float)


def measure(image, mask):
    """The acquired k-space data y = M ⊙ F x."""
    return mask * np.fft.fft2(image, norm="ortho")


def total_variation(x, eps):
    """Σ √(Δ_row² + Δ_col² + ε²): the smoothed (isotropic) total variation."""
    d_row = x[1:, :-1] - x[:-1, :-1]
    d_col = x[:-1, 1:] - x[:-1, :-1]
    return np.sum(np.sqrt(d_row ** 2 + d_col ** 2 + eps ** 2))


def loss(x, y, mask, lam=0.01, eps=0.02):
    """½ ‖M ⊙ F x − y‖² + λ TV_ε(x)."""
    residual = measure(x, mask) - y
    return 0.5 * np.sum(np.abs(residual) ** 2) + lam * total_variation(x, eps)


def zero_filled(y):
    """The naive reconstruction: the missing rows taken as zero, transformed back."""
    return np.fft.ifft2(y, norm="ortho").real


def reconstruct(y, mask, steps=300, step_size=0.2, **weights):
    """Gradient descent on ``loss`` from the zero-filled image; returns the image and the losses.

    The data term's gradient is Lipschitz with constant 1 (F is orthonormal) and the smoothed TV's
    with about 8λ/ε, so a step below 2/(1 + 8λ/ε) = 0.4 descends."""
    value_and_grad = cr.value_and_grad(loss)
    x = zero_filled(y)
    history = []
    for _ in range(steps):
        value, gradient = value_and_grad(x, y, mask, **weights)
        history.append(value.item())
        x = x - step_size * gradient
    return x, history


def relative_error(image, truth):
    return float(numpy.linalg.norm(image - truth) / numpy.linalg.norm(truth))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=64)
    parser.add_argument("--steps", type=int, default=300)
    args = parser.parse_args(argv)
    truth = phantom(args.size)
    mask = sampling_mask(args.size)
    y = measure(truth, mask)
    baseline = zero_filled(y).numpy()
    image, history = reconstruct(y, mask, steps=args.steps)
    print(f"{args.size}×{args.size} image, {mask[:, 0].mean():.0%} of the k-space rows acquired")
    print(f"loss {history[0]:.4f} -> {history[-1]:.4f} after {args.steps} gradient steps")
    print(f"relative error: zero-filled {relative_error(baseline, truth):.3f}, "
          f"reconstructed {relative_error(image.numpy(), truth):.3f}")


if __name__ == "__main__":
    main()
