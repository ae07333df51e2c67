"""A small multilayer perceptron in NumPy, trained with an L2 penalty.

The network maps 2-D points to one logit: tanh hidden layers, then a linear
output. The loss is the course's convention,

    mean binary cross-entropy + lam * (sum of squared *weights*),

so the penalty's gradient is ``2 * lam * W`` for every weight matrix and zero
for every bias. Biases only shift a unit's output; decaying them would pull
the boundary toward the origin without making the network any smoother.

This is shared training code for the chapters, not the answer to an exercise:
the gradients are written out by hand so that a reader can follow each one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class Layer:
    """One affine layer, ``x @ W + b``; ``W`` has shape (inputs, outputs)."""

    W: np.ndarray
    b: np.ndarray


def init_mlp(sizes: list[int], seed: int = 0) -> list[Layer]:
    """Random weights (Glorot-scaled normal) and zero biases.

    ``sizes`` lists the widths from input to output, e.g. ``[2, 24, 24, 1]``.
    The same seed always gives the same network, so runs that differ only in
    ``lam`` start from the same point.
    """
    rng = np.random.default_rng(seed)
    layers = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:], strict=True):
        scale = np.sqrt(2.0 / (fan_in + fan_out))
        W = rng.normal(0.0, scale, (fan_in, fan_out))
        layers.append(Layer(W, np.zeros(fan_out)))
    return layers


def copy_mlp(layers: list[Layer]) -> list[Layer]:
    """An independent copy: training never changes the layers it is given."""
    return [Layer(layer.W.copy(), layer.b.copy()) for layer in layers]


def mlp_logits(layers: list[Layer], X: np.ndarray) -> np.ndarray:
    """The network's output logit for each row of ``X``, shape (n,)."""
    h = np.asarray(X, dtype=float)
    for layer in layers[:-1]:
        h = np.tanh(h @ layer.W + layer.b)
    out = layers[-1]
    return (h @ out.W + out.b)[:, 0]


def weight_norm(layers: list[Layer]) -> float:
    """sqrt(sum of squared weights), biases excluded: what the penalty sees."""
    return float(np.sqrt(sum(np.sum(layer.W**2) for layer in layers)))


def mlp_loss(layers: list[Layer], X: np.ndarray, y: np.ndarray, lam: float) -> float:
    """Mean binary cross-entropy (labels 0/1) plus ``lam * weight_norm**2``."""
    z = mlp_logits(layers, X)
    # log(1 + e^z) - y z, written with logaddexp so large |z| cannot overflow.
    data_loss = np.mean(np.logaddexp(0.0, z) - y * z)
    return float(data_loss + lam * weight_norm(layers) ** 2)


def mlp_loss_and_grad(
    layers: list[Layer], X: np.ndarray, y: np.ndarray, lam: float
) -> tuple[float, list[Layer]]:
    """The loss of :func:`mlp_loss` and its gradient, one ``Layer`` per layer.

    Backpropagation by hand: the forward pass keeps every layer's input, and
    the backward pass runs the chain rule from the output down.
    """
    X = np.asarray(X, dtype=float)
    inputs = [X]
    for layer in layers[:-1]:
        inputs.append(np.tanh(inputs[-1] @ layer.W + layer.b))
    z = (inputs[-1] @ layers[-1].W + layers[-1].b)[:, 0]
    n = X.shape[0]
    loss = np.mean(np.logaddexp(0.0, z) - y * z) + lam * weight_norm(layers) ** 2

    # d(mean BCE)/dz = (sigmoid(z) - y) / n; the tanh form of the sigmoid is stable.
    delta = ((0.5 * (1.0 + np.tanh(0.5 * z)) - y) / n)[:, None]
    grads: list[Layer] = []
    for i in range(len(layers) - 1, -1, -1):
        grad_W = inputs[i].T @ delta + 2.0 * lam * layers[i].W
        grad_b = delta.sum(axis=0)  # no penalty term: biases are not decayed
        grads.append(Layer(grad_W, grad_b))
        if i > 0:
            # tanh'(a) = 1 - tanh(a)^2, and inputs[i] is tanh(a) of layer i-1.
            delta = (delta @ layers[i].W.T) * (1.0 - inputs[i] ** 2)
    return float(loss), grads[::-1]


def train_mlp(
    layers: list[Layer],
    X: np.ndarray,
    y: np.ndarray,
    lam: float,
    lr: float = 0.3,
    steps: int = 4000,
    momentum: float = 0.9,
) -> tuple[list[Layer], np.ndarray]:
    """Full-batch gradient descent with heavy-ball momentum.

    Returns the trained copy of ``layers`` and the loss at every step. Because
    the penalty is part of the loss, whatever point this converges to is a
    minimum of the penalized loss, whatever the optimizer.
    """
    layers = copy_mlp(layers)
    velocity = [Layer(np.zeros_like(la.W), np.zeros_like(la.b)) for la in layers]
    losses = np.empty(steps)
    for step in range(steps):
        losses[step], grads = mlp_loss_and_grad(layers, X, y, lam)
        for layer, v, g in zip(layers, velocity, grads, strict=True):
            v.W = momentum * v.W - lr * g.W
            v.b = momentum * v.b - lr * g.b
            layer.W = layer.W + v.W
            layer.b = layer.b + v.b
    return layers, losses


def mlp_accuracy(layers: list[Layer], X: np.ndarray, y: np.ndarray) -> float:
    """The fraction of points whose predicted class (logit > 0) matches ``y``."""
    return float(np.mean((mlp_logits(layers, X) > 0) == (np.asarray(y) > 0.5)))
