"""The networks that chainrule trains — the lecture's seed CNN, LeNet and an MLP — and
``load``, which brings one trained by ``chainrule train`` back with its preprocessing.

``SeedCNN`` is the lecture's "very basic CNN",

    L(W) = 1/N Σ_i ln(1 + exp(−y_i · W3 relu(W2 relu(W1 x_i)))),   y_i ∈ {−1, +1},

where W1 and W2 are banded Toeplitz matrices — 1-D convolutions, computed here as
convolutions (``F.toeplitz`` builds the same matrices explicitly) — and W3 is a full
matrix. Each layer also has a bias.

A ``chainrule train`` checkpoint records, beside the weights, a ``config``: the model's
name and the arguments it was built with, and the preprocessing that training applied —
the training split's mean and standard deviation and the image shape. ``load(path)``
rebuilds the network from it and returns a ``Pipeline`` that standardizes raw images
the way training did before the network sees them, so its outputs on a test split are
exactly those that training evaluated.
"""

import math

import numpy as np

from . import io, nn
from .core.tensor import Tensor
from .files import display
from .nn import functional as F


def seed_cnn_forward(x, w1, b1, w2, b2, w3, b3):
    """The seed CNN as a function of its parameters: x of shape (N, 1, L) -> scores (N, 1)."""
    h1 = F.relu(F.conv1d(x, w1, b1, padding="same"))
    h2 = F.relu(F.conv1d(h1, w2, b2, padding="same"))
    return F.linear(h2.reshape(h2.shape[0], -1), w3, b3)


class SeedCNN(nn.Module):
    """Two 1-D convolutions with ReLU (the Toeplitz layers W1, W2) and a full layer W3.

    Input (N, 1, length) signals — an 8×8 digit read row by row is length 64 — and one
    score per example; train it with ``F.logistic_loss`` on labels in {−1, +1}.
    """

    def __init__(self, length=64, channels=4, kernel_size=5):
        super().__init__()
        self.length = length
        self.conv1 = nn.Conv1d(1, channels, kernel_size, padding="same")
        self.conv2 = nn.Conv1d(channels, channels, kernel_size, padding="same")
        self.fc = nn.Linear(channels * length, 1)

    def parameter_list(self):
        """(W1, b1, W2, b2, W3, b3), the arguments of ``seed_cnn_forward``."""
        return [self.conv1.weight, self.conv1.bias, self.conv2.weight, self.conv2.bias, self.fc.weight, self.fc.bias]

    def forward(self, x):
        return seed_cnn_forward(x, *self.parameter_list())


def lenet(in_channels=1, image_size=28, classes=10):
    """LeNet-5 (ReLU, max pooling): two convolutions, each followed by a 2×2 max pool, and
    three full layers 120 → 84 → classes. For 28×28 images the classic shapes
    (5×5 kernels, the first padded by 2, 16·5·5 = 400 features); for small images such as
    the 8×8 digits, 3×3 kernels padded by 1 (16·2·2 = 64 features)."""
    if image_size >= 20:
        k1, p1, k2, p2 = 5, 2, 5, 0
    else:
        k1, p1, k2, p2 = 3, 1, 3, 1
    size = (image_size + 2 * p1 - k1 + 1) // 2
    size = (size + 2 * p2 - k2 + 1) // 2
    if size < 1:
        raise ValueError(f"lenet: images of size {image_size} are too small for two convolutions and pools")
    return nn.Sequential(
        nn.Conv2d(in_channels, 6, k1, padding=p1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, k2, padding=p2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(16 * size * size, 120), nn.ReLU(),
        nn.Linear(120, 84), nn.ReLU(),
        nn.Linear(84, classes))


def mlp(in_features=784, hidden=(512, 512), classes=10):
    """A multilayer perceptron: Flatten, then Linear + ReLU per hidden width, then Linear."""
    layers = [nn.Flatten()]
    width = in_features
    for h in hidden:
        layers += [nn.Linear(width, h), nn.ReLU()]
        width = h
    layers.append(nn.Linear(width, classes))
    return nn.Sequential(*layers)


# The builders ``chainrule train`` uses, with the arguments it passes and their upper bounds: a
# checkpoint cannot make ``load`` build a network larger than a 512×512 image set would need.
ARCHITECTURES = {
    "seed-cnn": (SeedCNN, {"length": 1 << 18}),
    "lenet": (lenet, {"in_channels": 4, "image_size": 512, "classes": 1 << 16}),
    "mlp": (mlp, {"in_features": 1 << 18, "classes": 1 << 16}),
}


def build(name, arguments, where="build"):
    """The network ``name`` built with ``arguments`` (a dict), after checking both.

    Raises ``ValueError``, starting with ``where``, for an unknown name, missing or
    unexpected arguments, or an argument that is not an integer within its bound
    (``ARCHITECTURES``).
    """
    if name not in ARCHITECTURES:
        raise ValueError(f"{where}: unknown model {name!r}; chainrule trains {', '.join(ARCHITECTURES)}")
    builder, bounds = ARCHITECTURES[name]
    if not isinstance(arguments, dict) or set(arguments) != set(bounds):
        raise ValueError(f"{where}: {name} is built with {', '.join(bounds)}; got {arguments!r}")
    for key, value in arguments.items():
        if type(value) is not int or not 1 <= value <= bounds[key]:
            raise ValueError(f"{where}: {name} needs {key} between 1 and {bounds[key]}, got {value!r}")
    return builder(**arguments)


class Preprocess:
    r"""What ``chainrule train`` does to images and labels before the network sees them.

    Inputs: :math:`x = (\text{images} - \mu) / \sigma` in float32, with the training
    split's mean :math:`\mu` and standard deviation :math:`\sigma` over all pixels; colour
    images (N, H, W, C) are put channels first; then, for ``seed-cnn``, each image is read
    as one signal (N, 1, H·W·C), and for ``lenet`` grey images get their channel axis
    (N, 1, H, W). Computed with chainrule's ops, so a gradient reaches the images.

    Targets: the labels as they are (class indices), or for ``seed-cnn`` the lecture's
    even-vs-odd task, :math:`y = +1` for an even label and :math:`-1` for an odd one.
    """

    def __init__(self, model, mean, std, shape):
        self.model, self.mean, self.std, self.shape = model, float(mean), float(std), tuple(shape)

    def inputs(self, images):
        """The network's input for ``images`` of shape (N, *self.shape) (an array or a Tensor)."""
        x = images if isinstance(images, Tensor) else Tensor(np.asarray(images))
        if tuple(x.shape[1:]) != self.shape:
            raise ValueError(f"this model reads images of shape (N, {', '.join(map(str, self.shape))}), "
                             f"got {tuple(x.shape)}")
        x = ((x - self.mean) / self.std).astype(np.float32)
        if x.ndim == 4:
            x = x.transpose((0, 3, 1, 2))
        if self.model == "seed-cnn":
            return x.reshape(x.shape[0], 1, -1)
        if self.model == "lenet" and x.ndim == 3:
            return x.expand_dims(1)
        return x

    def targets(self, labels):
        """The labels as the model's targets: class indices, or ±1 (even/odd) for ``seed-cnn``."""
        labels = np.asarray(labels)
        return np.where(labels % 2 == 0, 1, -1) if self.model == "seed-cnn" else labels

    def as_dict(self):
        return {"mean": self.mean, "std": self.std, "shape": list(self.shape)}

    def __repr__(self):
        return f"Preprocess({self.model!r}, mean={self.mean:.6g}, std={self.std:.6g}, shape={self.shape})"


class Pipeline(nn.Module):
    """A trained network behind its preprocessing: ``pipeline(images) = network(preprocess.inputs(images))``.

    ``network`` is the bare network (it expects standardized inputs), ``preprocess`` the
    ``Preprocess`` that training used, ``config`` what the checkpoint recorded.
    """

    def __init__(self, network, preprocess, config=None):
        super().__init__()
        self.network = network
        self.preprocess = preprocess
        self.config = config

    def forward(self, images):
        return self.network(self.preprocess.inputs(images))


def _number(value, name, where, positive=False):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or (
            positive and value <= 0):
        raise ValueError(f"{where}: the recorded {name} must be a finite{' positive' if positive else ''} number, "
                         f"got {value!r}")
    return value


def from_checkpoint(state, where):
    """The ``Pipeline`` recorded in ``state``, a loaded ``chainrule train`` checkpoint (see ``load``)."""
    config = state.get("config") if isinstance(state, dict) else None
    if not isinstance(config, dict) or not isinstance(state.get("model"), dict):
        raise ValueError(f"{where}: not a checkpoint of `chainrule train` (it records no model and config)")
    try:
        name, arguments, recorded = config["model"], config["arguments"], config["preprocess"]
        shape = recorded["shape"]
        if not isinstance(shape, list) or not 2 <= len(shape) <= 3 or not all(
                type(n) is int and 0 < n <= 1 << 18 for n in shape):
            raise ValueError(f"{where}: the recorded image shape must be 2 or 3 positive sizes, got {shape!r}")
        preprocess = Preprocess(name, _number(recorded["mean"], "mean", where),
                                _number(recorded["std"], "std", where, positive=True), shape)
    except (KeyError, TypeError) as error:
        raise ValueError(f"{where}: the checkpoint's config is incomplete ({type(error).__name__}: {error})") from None
    network = build(name, arguments, where)
    try:
        network.load_state_dict(state["model"])
    except ValueError as error:
        raise ValueError(f"{where}: the stored weights do not fit {name}: {error}") from None
    return Pipeline(network, preprocess, config).eval()


def load(path):
    """A network trained by ``chainrule train``, with its preprocessing, from its checkpoint.

    Parameters
    ----------
    path : str, bytes or path-like
        ``OUT/checkpoint.safetensors`` of a ``chainrule train`` run.

    Returns
    -------
    Pipeline
        In eval mode. Call it on raw images as ``cr.data.load_mnist`` returns them,
        (N, H, W) or (N, H, W, C) floats in [0, 1]: it standardizes them with the
        training split's mean and std, lays them out for the network and returns the
        network's outputs (class scores; one even-vs-odd score for ``seed-cnn``).
        ``pipeline.network`` is the bare network, ``pipeline.preprocess.targets(labels)``
        the labels as the network's targets, ``pipeline.config`` the recorded config.

    Raises
    ------
    ValueError
        Naming the file: not a safetensors file, not a ``chainrule train`` checkpoint,
        a config that is incomplete or out of bounds, weights that do not fit the model.
    FileNotFoundError, PermissionError
        When the file does not exist or cannot be read.

    Examples
    --------
    >>> model = cr.models.load("runs/train/checkpoint.safetensors")
    >>> X_test, y_test = cr.data.load_mnist("data/mnist")["test"]
    >>> accuracy = (model(X_test).numpy().argmax(axis=1) == y_test).mean()
    """
    return from_checkpoint(io.load(path), f"cr.models.load: {display(path)}")
