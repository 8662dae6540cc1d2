"""Learn to remove Gaussian noise from images, in the style of a PyTorch denoising script: a
small residual CNN (convolutions with reflection padding, a half-resolution branch brought back
with bilinear ``F.interpolate``) predicts the noise, trained with MSE and Adam on noisy copies of
clean images drawn afresh in every epoch; the PSNR of the noisy and the denoised test images is
printed after each epoch.

The clean images are smooth random fields (random 4×4 grids upsampled bilinearly), so the
script needs no download.

A PyTorch program run on chainrule by renaming the imports (``import chainrule as torch``,
``from chainrule.data import ...`` for ``torch.utils.data``). Lines changed beyond the
imports: none.

    python examples/denoise.py [--epochs 20] [--sigma 0.1]
"""

import argparse
import math

import chainrule as torch
import chainrule.nn as nn
import chainrule.nn.functional as F
from chainrule.data import DataLoader, Dataset


def smooth_images(count, size, generator=None):
    """``count`` images of size×size in [0, 1]: random 4×4 grids, upsampled bilinearly."""
    coarse = torch.rand(count, 1, 4, 4, generator=generator)
    return F.interpolate(coarse, size=(size, size), mode="bilinear", align_corners=True)


class NoisyImages(Dataset):
    """(noisy, clean) pairs: each clean image with fresh Gaussian noise of standard deviation ``sigma``."""

    def __init__(self, clean, sigma):
        self.clean = clean
        self.sigma = sigma

    def __len__(self):
        return len(self.clean)

    def __getitem__(self, index):
        clean = self.clean[index]
        noisy = clean + self.sigma * torch.randn_like(clean)
        return noisy, clean


class DenoisingNet(nn.Module):
    """Predicts the noise (residual learning) from full- and half-resolution features."""

    def __init__(self, channels=1, features=16):
        super().__init__()
        self.head = nn.Conv2d(channels, features, 3, padding=1, padding_mode="reflect")
        self.down = nn.Conv2d(features, features, 3, stride=2, padding=1, padding_mode="reflect")
        self.body = nn.Conv2d(features, features, 3, padding=1, padding_mode="reflect")
        self.tail = nn.Conv2d(2 * features, channels, 3, padding=1, padding_mode="reflect")

    def forward(self, noisy):
        full = F.relu(self.head(noisy))
        half = F.relu(self.body(F.relu(self.down(full))))
        half = F.interpolate(half, size=full.shape[-2:], mode="bilinear", align_corners=False)
        noise = self.tail(torch.cat([full, half], dim=1))
        return noisy - noise


def psnr(output, target):
    """Peak signal-to-noise ratio in dB for images in [0, 1]: 10 log10(1 / MSE)."""
    mse = F.mse_loss(output, target).item()
    return 10 * math.log10(1.0 / mse)


def main(argv=None):
    parser = argparse.ArgumentParser(description="Denoise smooth images with a small residual CNN")
    parser.add_argument("--train-images", type=int, default=256)
    parser.add_argument("--test-images", type=int, default=32)
    parser.add_argument("--size", type=int, default=32)
    parser.add_argument("--sigma", type=float, default=0.1)
    parser.add_argument("--features", type=int, default=16)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--lr", type=float, default=3e-3)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    torch.manual_seed(args.seed)
    generator = torch.Generator().manual_seed(args.seed)
    train_set = NoisyImages(smooth_images(args.train_images, args.size, generator), args.sigma)
    test_clean = smooth_images(args.test_images, args.size, generator)
    test_noisy = test_clean + args.sigma * torch.randn(test_clean.shape, generator=generator)
    train_loader = DataLoader(train_set, batch_size=args.batch_size, shuffle=True)

    model = DenoisingNet(features=args.features)
    criterion = nn.MSELoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)

    before = psnr(test_noisy, test_clean)
    after = before
    for epoch in range(1, args.epochs + 1):
        model.train()
        for noisy, clean in train_loader:
            optimizer.zero_grad()
            loss = criterion(model(noisy), clean)
            loss.backward()
            optimizer.step()

        model.eval()
        with torch.no_grad():
            denoised = model(test_noisy).clamp(0.0, 1.0)
        after = psnr(denoised, test_clean)
        print(f"epoch {epoch}: training loss {loss.item():.5f}, PSNR noisy {before:.2f} dB, denoised {after:.2f} dB")
    return before, after


if __name__ == "__main__":
    main()
