"""The networks that chainrule trains: the lecture's seed CNN, LeNet and an MLP.

``SeedCNN`` is the lecture's "very basic CNN",

    L(W) = 1/N Σ_i ln(1 + exp(−y_i · W3 relu(W2 relu(W1 x_i)))),   y_i ∈ {−1, +1},

where W1 and W2 are banded Toeplitz matrices — 1-D convolutions, computed here as
convolutions (``F.toeplitz`` builds the same matrices explicitly) — and W3 is a full
matrix. Each layer also has a bias.
"""

from . import nn
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
