"""``chainrule demo``: the lecture's very basic CNN learning from real images.

1. The embedded digits (scikit-learn's 1,797 8×8 images), split 80/20 with a fixed seed.
2. The seed CNN on "even vs odd digit", labels in {−1, +1}: each image read row by row as a
   64-sample signal, standardized pixel by pixel with the training set's mean and spread.
   Before training, ``check_grad`` compares backpropagation with finite differences on
   the model's loss. Then the lecture's steepest descent on the full-batch loss,
   ``while previous_step_size > precision and iters < max_iters``.
3. LeNet on the 10-class task (Adam with a cosine schedule, mini-batches of 64).
4. ``loss.png`` (loss curve), ``filters.png`` (the learned W1 kernels) and
   ``summary.json`` in the output directory.
"""

import json
import os
import sys
import time

import numpy as np

from . import data, optim
from .core.tensor import Tensor
from .models import SeedCNN, lenet, seed_cnn_forward
from .nn import functional as F
from .numeric import check_grad
from .random import seed as seed_random
from .train import SchedulerStep, evaluate, fit

SEED_CNN_STEP_SIZE = 0.3
SEED_CNN_MAX_ITERS = 700
LENET_EPOCHS = 40


def even_odd_signals(X, y, mean, spread):
    """Images as standardized 1-D signals (N, 1, 64) and labels +1 (even) / −1 (odd)."""
    flat = (X.reshape(len(X), -1) - mean) / spread
    return Tensor(flat[:, None, :].astype(np.float32)), np.where(y % 2 == 0, 1, -1)


def _gradient_check(model, x, y, out):
    params = [p.numpy().astype(np.float64) for p in model.parameter_list()]
    x64 = Tensor(x.numpy().astype(np.float64))
    report = check_grad(lambda *p: F.logistic_loss(seed_cnn_forward(x64, *p), y), *params, rtol=1e-5, atol=1e-7)
    print("gradient check of the seed CNN's loss (AD vs finite differences, float64, 32 examples):", file=out)
    print(report, file=out)
    return report.max_rel_error


def _plots(out_dir, losses, kernels):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axis = plt.subplots(figsize=(6, 3.5))
    axis.plot(np.arange(1, len(losses) + 1), losses)
    axis.set_xlabel("steepest-descent iteration")
    axis.set_ylabel("logistic loss L(W)")
    axis.set_yscale("log")
    axis.set_title("seed CNN, even vs odd digits")
    figure.tight_layout()
    figure.savefig(os.path.join(out_dir, "loss.png"), dpi=100)
    plt.close(figure)

    figure, axes = plt.subplots(1, len(kernels), figsize=(2.2 * len(kernels), 2.2), sharey=True)
    for k, (axis, kernel) in enumerate(zip(np.atleast_1d(axes), kernels)):
        axis.bar(np.arange(len(kernel)), kernel)
        axis.set_title(f"W1 kernel {k}")
        axis.set_xticks(np.arange(len(kernel)))
    figure.tight_layout()
    figure.savefig(os.path.join(out_dir, "filters.png"), dpi=100)
    plt.close(figure)


def run_demo(out_dir="runs/demo", quick=False, out=sys.stdout, verbose=None, device="cpu"):
    """Run the demo, training on ``device`` ("cpu", or "cuda" with CuPy; the gradient check runs on
    the CPU in float64); returns the summary dict also written to ``summary.json``."""
    os.makedirs(out_dir, exist_ok=True)
    X, y = data.digits()
    X_train, X_test, y_train, y_test = data.train_test_split(X, y, test_fraction=0.2, seed=0)
    print(f"digits: {len(X_train)} training and {len(X_test)} test images of 8×8 pixels", file=out)

    # ---------------------------------------------------------------- the seed CNN
    flat = X_train.reshape(len(X_train), -1)
    mean, spread = flat.mean(axis=0), flat.std(axis=0) + 0.1
    x_train, s_train = even_odd_signals(X_train, y_train, mean, spread)
    x_test, s_test = even_odd_signals(X_test, y_test, mean, spread)
    seed_random(0)
    model = SeedCNN(length=x_train.shape[2])
    print("\nseed CNN: L(W) = 1/N Σ ln(1 + exp(−y · W3 relu(W2 relu(W1 x)))), "
          "W1, W2 1-D convolutions (banded Toeplitz), W3 full", file=out)
    max_rel_error = _gradient_check(model, x_train[:32], s_train[:32], out)
    model.to(device)

    max_iters = 30 if quick else SEED_CNN_MAX_ITERS
    optimizer = optim.SteepestDescent(model.parameters(), step_size=SEED_CNN_STEP_SIZE, precision=1e-6,
                                      max_iters=max_iters)
    print(f"\nsteepest descent, step size {SEED_CNN_STEP_SIZE}, precision 1e-6, max_iters {max_iters}:", file=out)
    start = time.perf_counter()
    history = fit(model, F.logistic_loss, optimizer, (x_train, s_train), epochs=max_iters, verbose=verbose)
    seconds = time.perf_counter() - start
    _, train_accuracy = evaluate(model, F.logistic_loss, [(x_train, s_train)])
    _, test_accuracy = evaluate(model, F.logistic_loss, [(x_test, s_test)])
    print(f"stopped after {optimizer.iters} iterations ({optimizer.stop_reason}) in {seconds:.1f} s; "
          f"loss {history.loss[-1]:.4f}; train accuracy {train_accuracy:.3f}, test accuracy {test_accuracy:.3f}",
          file=out)
    _plots(out_dir, history.loss, model.conv1.weight.cpu().numpy()[:, 0, :])

    # ---------------------------------------------------------------------- LeNet
    scale_mean, scale_std = X_train.mean(), X_train.std()
    images_train = ((X_train - scale_mean) / scale_std)[:, None].astype(np.float32)
    images_test = ((X_test - scale_mean) / scale_std)[:, None].astype(np.float32)
    seed_random(0)
    net = lenet(image_size=X.shape[-1]).to(device)
    epochs = 1 if quick else LENET_EPOCHS
    adam = optim.Adam(net.parameters(), lr=3e-3)
    schedule = optim.lr_scheduler.CosineAnnealingLR(adam, T_max=epochs)
    loader = data.DataLoader(data.TensorDataset(images_train, y_train), batch_size=64, shuffle=True, seed=0)
    print(f"\nLeNet on the 10 digit classes: Adam (lr 3e-3, cosine schedule), batches of 64, {epochs} epochs",
          file=out)
    start = time.perf_counter()
    fit(net, F.cross_entropy, adam, loader, epochs=epochs, callbacks=[SchedulerStep(schedule)], verbose=verbose)
    lenet_seconds = time.perf_counter() - start
    _, lenet_accuracy = evaluate(net, F.cross_entropy, [(Tensor(images_test), y_test)])
    print(f"LeNet test accuracy {lenet_accuracy:.3f} after {lenet_seconds:.1f} s", file=out)

    summary = {
        "seed_cnn": {"test_accuracy": test_accuracy, "train_accuracy": train_accuracy, "train_seconds": seconds,
                     "iters": optimizer.iters, "stop_reason": optimizer.stop_reason, "final_loss": history.loss[-1]},
        "lenet": {"test_accuracy": lenet_accuracy, "train_seconds": lenet_seconds, "epochs": epochs},
        "gradcheck": {"max_rel_error": max_rel_error},
    }
    with open(os.path.join(out_dir, "summary.json"), "w", encoding="utf-8") as handle:
        json.dump(summary, handle, indent=2)
    print(f"\nwrote {out_dir}/loss.png, {out_dir}/filters.png and {out_dir}/summary.json", file=out)
    return summary
