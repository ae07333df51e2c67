"""A learning rate × weight decay grid, trained the way Loshchilov and Hutter did.

A fixed, short budget of minibatch steps under a cosine schedule, for every
pair (learning rate ``lr``, decay ``lam``) of a grid at once: the runs are
stacked along leading axes, so the grid costs about as much as one run.

Two ways of adding the decay to Adam, with ``eta_t`` the cosine multiplier
(1 at the first step, near 0 at the last) and ``adam_dir`` Adam's
bias-corrected ``m_hat / (sqrt(v_hat) + eps)``:

* **Adam + L2** (``decoupled=False``): the gradient is that of the minibatch
  loss plus ``lam * ||w||^2``, so ``2 * lam * w`` enters ``m`` and ``v``, and
  ``w <- w - eta_t * lr * adam_dir``.
* **AdamW in the paper's form** (``decoupled=True``): ``m`` and ``v`` see the
  loss gradient only, and ``w <- w - eta_t * (lr * adam_dir + lam * w)``. The
  decay is scaled by the schedule, not by the learning rate (PyTorch's
  ``AdamW`` multiplies it by ``lr`` as well).

Every run of the grid sees the same minibatches, so two cells differ only in
``lr`` and ``lam``. This is shared chapter code, not an exercise answer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

import numpy as np

from l2course.tasks import Task, breast_cancer_task

# grad(params, rows) -> gradients of the mean loss over those training rows,
# one array per parameter, each with the runs' leading axes.
GradientFn = Callable[[list[np.ndarray], np.ndarray], list[np.ndarray]]


def noisy_tumour_task(n_train: int = 300, flip: float = 0.25, seed: int = 5) -> Task:
    """The optimizers chapter's tumours, with more rows and noisier labels.

    ``n_train`` training rows (the rest held out), and a fraction ``flip`` of
    the *training* labels flipped at random, so that a model that fits the
    training set closely does worse on the held-out one and decay has work to
    do. The held-out labels are untouched.
    """
    task = breast_cancer_task(n_train=n_train)
    flipped = np.random.default_rng(seed).random(n_train) < flip
    y_train = np.where(flipped, 1.0 - task.y_train, task.y_train)
    return replace(task, y_train=y_train)


def cosine_multiplier(step: int, steps: int) -> float:
    """The schedule multiplier eta_t of the step ``step`` (0-based) of ``steps``."""
    return 0.5 * (1.0 + np.cos(np.pi * step / steps))


def minibatch_rows(n_train: int, batch_size: int, steps: int, seed: int) -> np.ndarray:
    """The rows of each step's minibatch, shape (steps, batch_size).

    Epochs of a fresh permutation each, read in order, so every row is used
    once per epoch (a partial epoch continues into the next permutation).
    """
    rng = np.random.default_rng(seed)
    needed = steps * batch_size
    epochs = -(-needed // n_train)
    order = np.concatenate([rng.permutation(n_train) for _ in range(epochs)])
    return order[:needed].reshape(steps, batch_size)


def train_adam_grid(
    grad: GradientFn,
    init: Sequence[np.ndarray],
    lrs: Sequence[float],
    lams: Sequence[float],
    *,
    decoupled: bool,
    decay_masks: Sequence[float | np.ndarray],
    n_train: int,
    steps: int = 400,
    batch_size: int = 16,
    seed: int = 0,
    beta1: float = 0.9,
    beta2: float = 0.999,
    eps: float = 1e-8,
) -> list[np.ndarray]:
    """Train every (lr, lam) pair of the grid; return the final parameters.

    Each returned array has shape ``(len(lrs), len(lams), *init[k].shape)``.
    ``decay_masks[k]`` is 1 where parameter ``k`` is decayed and 0 where it is
    not (biases); it broadcasts against the parameter.
    """
    lr = np.asarray(lrs, dtype=float)[:, None]
    lam = np.asarray(lams, dtype=float)[None, :]
    grid_shape = (lr.shape[0], lam.shape[1])
    params = [np.broadcast_to(p, grid_shape + np.shape(p)).copy() for p in init]
    first = [np.zeros_like(p) for p in params]
    second = [np.zeros_like(p) for p in params]
    for t, rows in enumerate(minibatch_rows(n_train, batch_size, steps, seed), 1):
        eta = cosine_multiplier(t - 1, steps)
        grads = grad(params, rows)
        for k, (p, g) in enumerate(zip(params, grads, strict=True)):
            # lr and lam of each run, broadcast over the parameter's own axes.
            extra = (1,) * (p.ndim - 2)
            lr_k, lam_k = lr.reshape(lr.shape + extra), lam.reshape(lam.shape + extra)
            decay = lam_k * decay_masks[k]
            if not decoupled:
                g = g + 2.0 * decay * p
            first[k] = beta1 * first[k] + (1 - beta1) * g
            second[k] = beta2 * second[k] + (1 - beta2) * g**2
            adam_dir = (first[k] / (1 - beta1**t)) / (
                np.sqrt(second[k] / (1 - beta2**t)) + eps
            )
            if decoupled:
                params[k] = p - eta * (lr_k * adam_dir + decay * p)
            else:
                params[k] = p - eta * lr_k * adam_dir
    return params


def logistic_gradient(X: np.ndarray, y: np.ndarray) -> GradientFn:
    """Mean cross-entropy gradient of logistic regression, params ``[theta]``.

    ``X`` carries the bias as its last column, as in ``breast_cancer_task``.
    """

    def grad(params: list[np.ndarray], rows: np.ndarray) -> list[np.ndarray]:
        (theta,) = params
        z = theta @ X[rows].T
        return [(_sigmoid(z) - y[rows]) @ X[rows] / len(rows)]

    return grad


def logistic_loss(params: Sequence[np.ndarray], X: np.ndarray, y: np.ndarray):
    """Mean cross-entropy of every run of the grid on (X, y)."""
    z = params[0] @ X.T
    return np.mean(np.logaddexp(0.0, z) - y * z, axis=-1)


def normalized_logits(params: Sequence[np.ndarray], X: np.ndarray, gain: float):
    """``gain * (w / ||w||) . x``: a logit that ignores the size of ``w``.

    ``params`` is ``[w]``, and ``X`` carries the bias as its last column, so
    the bias is part of the direction too. Like the weights that feed a
    batch-normalized layer, ``w`` sets only a direction: scaling it by any
    c > 0 changes no prediction.
    """
    (w,) = params
    direction = w / np.linalg.norm(w, axis=-1, keepdims=True)
    return gain * direction @ X.T


def normalized_logistic_gradient(X: np.ndarray, y: np.ndarray, gain: float):
    """Gradient of the mean cross-entropy of :func:`normalized_logits`.

    The gradient is orthogonal to ``w`` and scales as 1 / ||w||.
    """

    def grad(params: list[np.ndarray], rows: np.ndarray) -> list[np.ndarray]:
        (w,) = params
        norm = np.linalg.norm(w, axis=-1, keepdims=True)
        direction = w / norm
        z = normalized_logits(params, X[rows], gain)
        along = gain * ((_sigmoid(z) - y[rows]) / len(rows)) @ X[rows]
        radial = np.sum(along * direction, axis=-1, keepdims=True)
        return [(along - radial * direction) / norm]

    return grad


def normalized_logistic_loss(params: Sequence[np.ndarray], X, y, gain: float):
    """Mean cross-entropy of every run of the grid, normalized logits."""
    z = normalized_logits(params, X, gain)
    return np.mean(np.logaddexp(0.0, z) - y * z, axis=-1)


def best_per_row(lams: Sequence[float], losses: np.ndarray) -> np.ndarray:
    """The lam with the lowest loss in each row (one row per learning rate)."""
    return np.asarray(lams, dtype=float)[np.argmin(losses, axis=1)]


def _sigmoid(z: np.ndarray) -> np.ndarray:
    # The tanh form cannot overflow for large |z|, unlike 1 / (1 + exp(-z)).
    return 0.5 * (1.0 + np.tanh(0.5 * z))
