"""``mri``: one gradient step of the MRI reconstruction in ``examples/mri_reconstruction.py``.

An n×n image x is fitted to undersampled k-space data y = M ⊙ F x_true (F the orthonormal
2-D DFT, M a mask keeping about a third of the rows) with a smoothed total-variation prior:

    L(x) = ½ ‖M ⊙ F x − y‖² + λ Σ √(Δ_row x² + Δ_col x² + ε²),     x ← x − lr · ∇L(x)

Its gradient is ∇L = Re F⁻¹(M ⊙ F x − y) + λ ∇TV: one FFT forward and one backward, plus
the elementwise work of the prior. Full size is a 256×256 image (the example's 64×64 is
small enough that per-op costs dominate, which ``overhead`` measures already); float32 image,
complex64 k-space.
"""

import numpy as np

from .workload import Problem, Workload

SIZE, TINY_SIZE = 256, 16
LAM, EPS, LR = 0.01, 0.02, 0.2


def make_problem(size):
    n = SIZE if size == "full" else TINY_SIZE
    rng = np.random.default_rng(0)
    rows = np.linspace(-1, 1, n)[:, None]
    cols = np.linspace(-1, 1, n)[None, :]
    truth = ((rows / 0.9) ** 2 + (cols / 0.7) ** 2 <= 1) - 0.6 * ((rows / 0.8) ** 2 + (cols / 0.6) ** 2 <= 1) \
        + 0.3 * (((rows + 0.3) / 0.25) ** 2 + ((cols - 0.2) / 0.15) ** 2 <= 1)
    acquired = (np.abs(np.fft.fftfreq(n)) < 0.08) | (rng.uniform(size=n) < 0.25)
    mask = np.repeat(acquired[:, None], n, axis=1).astype(np.float32)
    y = (mask * np.fft.fft2(truth.astype(np.float32), norm="ortho")).astype(np.complex64)
    start = np.fft.ifft2(y, norm="ortho").real.astype(np.float32)     # the zero-filled reconstruction
    return Problem({"mask": mask, "y": y}, {"image": start}, LR, ("loss", "d image"),
                   f"{n}×{n} image, {acquired.mean():.0%} of k-space rows")


def mri_loss(x, y, mask, lam=LAM, eps=EPS):
    """The example's loss in ``chainrule.numpy``: ½ ‖M ⊙ F x − y‖² + λ TV_ε(x)."""
    from .. import numpy as cnp

    residual = mask * cnp.fft.fft2(x, norm="ortho") - y
    d_row = x[1:, :-1] - x[:-1, :-1]
    d_col = x[:-1, 1:] - x[:-1, :-1]
    prior = cnp.sum(cnp.sqrt(d_row ** 2 + d_col ** 2 + eps ** 2))
    return 0.5 * cnp.sum(cnp.abs(residual) ** 2) + lam * prior


# ---------------------------------------------------------------- hand-written NumPy
def numpy_step(problem):
    (x,) = problem.param_copies()
    y, mask, lr = problem.data["y"], problem.data["mask"], problem.lr

    def step():
        # x as complex first: NumPy's fft2 of a real array is about 4× slower than the conversion and a
        # complex fft2 (its ufunc casts through small buffers); the residual is zero outside the mask, as y is
        residual = mask * np.fft.fft2(x.astype(np.complex64), norm="ortho") - y
        d_row = x[1:, :-1] - x[:-1, :-1]
        d_col = x[:-1, 1:] - x[:-1, :-1]
        root = np.sqrt(d_row * d_row + d_col * d_col + EPS * EPS)
        loss = 0.5 * np.vdot(residual, residual).real + LAM * root.sum()
        # ∇: Re F⁻¹(M ⊙ r) with M ⊙ r = r, and the TV term's differences sent back to their pixels
        g = np.fft.ifft2(residual, norm="ortho").real
        q_row, q_col = (LAM / root) * d_row, (LAM / root) * d_col
        g[1:, :-1] += q_row
        g[:-1, 1:] += q_col
        g[:-1, :-1] -= q_row + q_col
        x[...] -= lr * g
        return [np.float32(loss), g]

    return step


# ------------------------------------------------------------------------ chainrule
def chainrule_eager(problem):
    from .. import optim
    from ..core.tensor import Tensor

    (start,) = problem.param_copies()
    x = Tensor(start, requires_grad=True)
    optimizer = optim.SGD([x], lr=problem.lr)
    y, mask = Tensor(problem.data["y"]), Tensor(problem.data["mask"])

    def step():
        optimizer.zero_grad()
        value = mri_loss(x, y, mask)
        value.backward()
        g = x.grad.numpy()
        optimizer.step()
        return [value.detach().numpy(), g]

    return step


def chainrule_jit(problem):
    from ..func.transforms import value_and_grad
    from ..graph import jit

    compiled = jit(value_and_grad(mri_loss))
    (x,) = problem.param_copies()
    y, mask, lr = problem.data["y"], problem.data["mask"], problem.lr

    def step():
        value, g = compiled(x, y, mask)
        g = g.numpy()
        x[...] -= lr * g
        return [value.numpy(), g]

    return step


# -------------------------------------------------------------------------- PyTorch
def torch_step(problem):
    import torch

    x = torch.tensor(problem.params["image"], requires_grad=True)
    y, mask = torch.from_numpy(problem.data["y"]), torch.from_numpy(problem.data["mask"])
    optimizer = torch.optim.SGD([x], lr=problem.lr)

    def step():
        optimizer.zero_grad()
        residual = mask * torch.fft.fft2(x, norm="ortho") - y
        d_row = x[1:, :-1] - x[:-1, :-1]
        d_col = x[:-1, 1:] - x[:-1, :-1]
        value = 0.5 * (residual.abs() ** 2).sum() + LAM * torch.sqrt(d_row ** 2 + d_col ** 2 + EPS ** 2).sum()
        value.backward()
        g = x.grad.numpy().copy()
        optimizer.step()
        return [value.detach().numpy(), g]

    return step


WORKLOAD = Workload(
    "mri", "MRI reconstruction 256×256: ½‖M ⊙ fft2(x) − y‖² + λ TV(x), one gradient step",
    make_problem,
    {"numpy": numpy_step, "chainrule eager": chainrule_eager, "chainrule jit": chainrule_jit, "torch": torch_step},
    rounds=200)
