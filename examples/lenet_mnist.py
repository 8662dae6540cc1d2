"""Train LeNet-5 on MNIST-format IDX files, in the style of PyTorch's MNIST example: a custom
``Dataset`` that reads the files, ``DataLoader``s, ``CrossEntropyLoss``, SGD with momentum and
a ``StepLR`` schedule, a test pass per epoch, and a checkpoint saved with ``torch.save`` that
``--resume`` loads back.

A PyTorch program run on chainrule by renaming the imports (``import chainrule as torch``,
``from chainrule.data import ...`` for ``torch.utils.data``). Lines changed beyond the
imports: none. chainrule's checkpoints are safetensors files (no pickle), whatever their name.

    python examples/lenet_mnist.py --data DIR [--epochs 2] [--save-model lenet.pt]

DIR holds train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and
t10k-labels-idx1-ubyte (each may be gzipped, with a .gz suffix).
"""

import argparse
import gzip
import os

import numpy as np

import chainrule as torch
import chainrule.nn as nn
import chainrule.nn.functional as F
import chainrule.optim as optim
from chainrule.data import DataLoader, Dataset
from chainrule.optim.lr_scheduler import StepLR


def read_idx(path):
    """The array in an IDX file: magic (0, 0, type code, number of dimensions), the sizes, the data."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        content = f.read()
    ndim = content[3]
    shape = tuple(int.from_bytes(content[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim))
    return np.frombuffer(content, dtype=np.uint8, offset=4 + 4 * ndim).reshape(shape)


class MNISTFiles(Dataset):
    """Images and labels from a pair of IDX files, normalised with MNIST's mean and standard deviation."""

    def __init__(self, root, train=True):
        prefix = "train" if train else "t10k"
        self.images = read_idx(self._find(root, f"{prefix}-images-idx3-ubyte"))
        self.labels = read_idx(self._find(root, f"{prefix}-labels-idx1-ubyte"))

    @staticmethod
    def _find(root, name):
        path = os.path.join(root, name)
        return path if os.path.exists(path) else path + ".gz"

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, index):
        image = torch.from_numpy(self.images[index].astype(np.float32) / 255.0)
        image = (image - 0.1307) / 0.3081
        return image.unsqueeze(0), int(self.labels[index])


class LeNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5, padding=2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = torch.flatten(x, 1)
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        return self.fc3(x)


def train(args, model, device, train_loader, criterion, optimizer, epoch):
    model.train()
    for batch_idx, (data, target) in enumerate(train_loader):
        data, target = data.to(device), target.to(device)
        optimizer.zero_grad()
        output = model(data)
        loss = criterion(output, target)
        loss.backward()
        optimizer.step()
        if batch_idx % args.log_interval == 0:
            print(f"Train Epoch: {epoch} [{batch_idx * len(data)}/{len(train_loader.dataset)} "
                  f"({100.0 * batch_idx / len(train_loader):.0f}%)]\tLoss: {loss.item():.6f}")
            if args.dry_run:
                break


def test(model, device, test_loader, criterion):
    model.eval()
    test_loss = 0
    correct = 0
    with torch.no_grad():
        for data, target in test_loader:
            data, target = data.to(device), target.to(device)
            output = model(data)
            test_loss += criterion(output, target).item() * len(data)
            pred = output.argmax(dim=1, keepdim=True)
            correct += pred.eq(target.view_as(pred)).sum().item()

    test_loss /= len(test_loader.dataset)
    accuracy = correct / len(test_loader.dataset)
    print(f"\nTest set: Average loss: {test_loss:.4f}, "
          f"Accuracy: {correct}/{len(test_loader.dataset)} ({100.0 * accuracy:.0f}%)\n")
    return test_loss, accuracy


def main(argv=None):
    parser = argparse.ArgumentParser(description="LeNet on MNIST-format IDX files")
    parser.add_argument("--data", required=True, help="folder with the four IDX files")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--test-batch-size", type=int, default=1000)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--lr", type=float, default=0.01)
    parser.add_argument("--momentum", type=float, default=0.9)
    parser.add_argument("--gamma", type=float, default=0.7, help="learning-rate decay per epoch")
    parser.add_argument("--no-cuda", action="store_true", default=False)
    parser.add_argument("--dry-run", action="store_true", default=False)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--log-interval", type=int, default=10)
    parser.add_argument("--save-model", default=None, help="write a checkpoint here after every epoch")
    parser.add_argument("--resume", default=None, help="continue from this checkpoint")
    args = parser.parse_args(argv)

    use_cuda = not args.no_cuda and torch.cuda.is_available()
    torch.manual_seed(args.seed)
    device = torch.device("cuda" if use_cuda else "cpu")

    train_loader = DataLoader(MNISTFiles(args.data, train=True), batch_size=args.batch_size, shuffle=True)
    test_loader = DataLoader(MNISTFiles(args.data, train=False), batch_size=args.test_batch_size)

    model = LeNet().to(device)
    criterion = nn.CrossEntropyLoss()
    optimizer = optim.SGD(model.parameters(), lr=args.lr, momentum=args.momentum)
    scheduler = StepLR(optimizer, step_size=1, gamma=args.gamma)

    start_epoch = 1
    if args.resume:
        checkpoint = torch.load(args.resume)
        model.load_state_dict(checkpoint["model"])
        optimizer.load_state_dict(checkpoint["optimizer"])
        scheduler.load_state_dict(checkpoint["scheduler"])
        start_epoch = checkpoint["epoch"] + 1

    results = []
    for epoch in range(start_epoch, args.epochs + 1):
        train(args, model, device, train_loader, criterion, optimizer, epoch)
        results.append(test(model, device, test_loader, criterion))
        scheduler.step()
        if args.save_model:
            torch.save({"epoch": epoch, "model": model.state_dict(), "optimizer": optimizer.state_dict(),
                        "scheduler": scheduler.state_dict()}, args.save_model)
    return model, results


if __name__ == "__main__":
    main()
