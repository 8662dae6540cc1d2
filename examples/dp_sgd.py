"""DP-SGD on the digits: per-example gradients with vmap, clipped one by one, averaged, noised.

Differentially private SGD (Abadi et al., 2016) bounds how much any single training example
can move the model: each example's gradient g_i is clipped to norm at most C,

    ḡ_i = g_i · min(1, C / ‖g_i‖),

and the step uses their mean plus Gaussian noise of scale σ·C / B. The per-example
gradients come from one batched computation, ``cr.vmap(cr.grad(loss), in_axes=(None, 0, 0))``
with the model's parameters passed through ``cr.func.functional_call``.

Run it: ``python examples/dp_sgd.py`` (about 10 s).
"""

import numpy as np

import chainrule as cr

F = cr.nn.functional


def per_example_loss(model):
    """loss(params, x, y) of one example, for vmap(grad(...))."""
    def loss(params, x, y):
        return F.cross_entropy(cr.func.functional_call(model, params, (x[None],)), y[None])
    return loss


def clipped_mean(grads, clip):
    """The mean of the per-example gradients, each clipped to global norm ``clip`` first; also the norms."""
    names = list(grads)
    squares = sum(cr.sum(cr.reshape(grads[n], (grads[n].shape[0], -1)) ** 2, axis=1) for n in names)
    norms = cr.sqrt(squares)
    scale = cr.minimum(1.0, clip / (norms + 1e-12))
    mean = {n: cr.mean(grads[n] * cr.reshape(scale, (-1,) + (1,) * (grads[n].ndim - 1)), axis=0) for n in names}
    return mean, norms


def train(steps=200, batch_size=64, lr=0.5, clip=1.0, noise=1.1, seed=0, hidden=64):
    """Train an MLP on the digits with DP-SGD; returns (model, losses, test accuracy, last norms)."""
    images, labels = cr.data.digits()                    # (1797, 8, 8) in [0, 1], labels 0..9
    x = np.asarray(images, np.float32).reshape(len(images), -1)
    labels = np.asarray(labels)
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(x))
    train_idx, test_idx = order[:1400], order[1400:]
    model = cr.models.mlp(64, (hidden,), 10)
    params = {name: p.detach() for name, p in model.named_parameters()}
    per_example = cr.vmap(cr.grad(per_example_loss(model)), in_axes=(None, 0, 0))
    losses, norms = [], None
    for _ in range(steps):
        batch = rng.choice(train_idx, batch_size, replace=False)
        grads = per_example(params, cr.tensor(x[batch]), labels[batch])
        mean, norms = clipped_mean(grads, clip)
        for name in params:
            noisy = mean[name] + cr.tensor(rng.normal(0.0, noise * clip / batch_size, params[name].shape)
                                           .astype(np.float32))
            params[name] = params[name] - lr * noisy
        losses.append(F.cross_entropy(cr.func.functional_call(model, params, (cr.tensor(x[batch]),)),
                                      labels[batch]).item())
    logits = cr.func.functional_call(model, params, (cr.tensor(x[test_idx]),))
    accuracy = float((cr.argmax(logits, axis=1).numpy() == labels[test_idx]).mean())
    return model, losses, accuracy, norms


if __name__ == "__main__":
    _, losses, accuracy, _ = train()
    print(f"DP-SGD: loss {np.mean(losses[:10]):.3f} -> {np.mean(losses[-10:]):.3f}, test accuracy {accuracy:.3f}")
