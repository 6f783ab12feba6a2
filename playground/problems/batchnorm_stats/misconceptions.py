"""Known wrong answers to batchnorm_stats, each computed by trusted code, with its hint."""

import jax.numpy as jnp
import numpy as np
from flax import nnx

from playground.problems import Misconception

EPSILON = 1e-5  # nnx.BatchNorm's default


def _inputs(inputs: dict) -> tuple[jnp.ndarray, float, int]:
    return jnp.asarray(inputs["batch"], dtype=jnp.float32), float(inputs["momentum"]), int(inputs["calls"])


def _layer(batch: jnp.ndarray, momentum: float | None) -> nnx.BatchNorm:
    if momentum is None:
        return nnx.BatchNorm(batch.shape[-1], rngs=nnx.Rngs(0))
    return nnx.BatchNorm(batch.shape[-1], momentum=momentum, rngs=nnx.Rngs(0))


def _run(batch: jnp.ndarray, momentum: float | None, calls: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    # The right procedure, with the momentum or the number of calls chosen by the caller.
    bn = _layer(batch, momentum)
    bn.train()
    for _ in range(calls):
        bn(batch)
    bn.eval()
    out = bn(batch)
    return np.asarray(bn.mean[...]), np.asarray(bn.var[...]), np.asarray(out)


def _by_hand(
    x: np.ndarray, mu: np.ndarray, var: np.ndarray, momentum: float, calls: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    # BatchNorm written by hand from the given batch statistics: running averages from mean 0 and
    # variance 1, then evaluation with them.
    mean, running_var = np.zeros_like(mu), np.ones_like(mu)
    for _ in range(calls):
        mean = momentum * mean + (1 - momentum) * mu
        running_var = momentum * running_var + (1 - momentum) * var
    return mean, running_var, (x - mean) / np.sqrt(running_var + EPSILON)


def _momentum_inverted(inputs: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    batch, momentum, calls = _inputs(inputs)
    return _run(batch, 1.0 - momentum, calls)


def _default_momentum(inputs: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    batch, _, calls = _inputs(inputs)
    return _run(batch, None, calls)


def _one_call_only(inputs: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    batch, momentum, _ = _inputs(inputs)
    return _run(batch, momentum, 1)


def _calls_off_by(offset: int):
    def compute(inputs: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        batch, momentum, calls = _inputs(inputs)
        return _run(batch, momentum, max(calls + offset, 0))

    return compute


def _whole_batch_statistics(inputs: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    # Written by hand with one mean and one variance over the whole batch, every feature together.
    batch, momentum, calls = _inputs(inputs)
    x = np.asarray(batch, dtype=np.float64)
    mu, var = np.full(x.shape[-1], x.mean()), np.full(x.shape[-1], x.var())
    return _by_hand(x, mu, var, momentum, calls)


def _unbiased_variance(inputs: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    # Written by hand with the sample variance (divide by B - 1) instead of the population one.
    batch, momentum, calls = _inputs(inputs)
    x = np.asarray(batch, dtype=np.float64)
    mu, var = x.mean(axis=0), x.var(axis=0, ddof=1)
    return _by_hand(x, mu, var, momentum, calls)


def _eval_in_train_mode(inputs: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    # model.eval() forgotten: the last call normalises with the batch's statistics and updates once more.
    batch, momentum, calls = _inputs(inputs)
    bn = _layer(batch, momentum)
    for _ in range(calls):
        bn(batch)
    out = bn(batch)
    return np.asarray(bn.mean[...]), np.asarray(bn.var[...]), np.asarray(out)


def _eval_in_train_mode_stats_first(inputs: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    # The same mistake, with the statistics read before the last (training-mode) call.
    batch, momentum, calls = _inputs(inputs)
    bn = _layer(batch, momentum)
    for _ in range(calls):
        bn(batch)
    mean, var = np.asarray(bn.mean[...]), np.asarray(bn.var[...])
    return mean, var, np.asarray(bn(batch))


def _stats_never_move(inputs: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    # Every call made in evaluation mode: the running statistics keep their initial 0 and 1.
    batch, momentum, _ = _inputs(inputs)
    return _run(batch, momentum, 0)


def _params_returned(inputs: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    # The two nnx.Params (bias = zeros, scale = ones) returned in place of the BatchStats.
    batch, momentum, calls = _inputs(inputs)
    _, _, out = _run(batch, momentum, calls)
    features = batch.shape[-1]
    return np.zeros(features), np.ones(features), out


UPDATE = "running = momentum * running + (1 - momentum) * batch_statistic"

MISCONCEPTIONS = (
    Misconception(
        "momentum_inverted",
        f"Your momentum weighs the wrong side. nnx.BatchNorm updates {UPDATE}: momentum is how "
        "much of the old running value is KEPT, so pass momentum=momentum as given.",
        _momentum_inverted,
        pitfall="Swapping the weights",
    ),
    Misconception(
        "default_momentum",
        "Your statistics moved as if momentum were 0.99, nnx.BatchNorm's default: pass "
        "momentum=momentum to the constructor.",
        _default_momentum,
        pitfall="Leaving out `momentum=momentum`",
    ),
    Misconception(
        "one_call_only",
        "Your running statistics were updated only once. Call the layer int(calls) times in "
        f"training mode: every call applies {UPDATE} again.",
        _one_call_only,
    ),
    Misconception(
        "unbiased_variance",
        "Your variance divides by B - 1 (the sample variance). BatchNorm uses the population "
        "variance of the batch, the mean of (x - mean)**2 over the batch axis (dividing by B).",
        _unbiased_variance,
        pitfall="`ddof=1`",
    ),
    Misconception(
        "eval_in_train_mode",
        "Your `eval_out` was computed in training mode: it is normalised with the batch's own "
        "statistics (and that call updated the running ones once more). Call bn.eval() before "
        "the final call, so it uses the running mean and variance.",
        _eval_in_train_mode,
        pitfall="Forgetting `bn.eval()` before the last call",
    ),
    Misconception(
        "eval_in_train_mode_stats_first",
        "Your `eval_out` was computed in training mode: it is normalised with the batch's own "
        "statistics (and that call updated the running ones once more). Call bn.eval() before "
        "the final call, so it uses the running mean and variance.",
        _eval_in_train_mode_stats_first,
    ),
    Misconception(
        "stats_never_move",
        "Your running statistics never moved from their start (mean 0, variance 1): your calls "
        "ran in evaluation mode. Call bn.train() (or build the layer with its default "
        "use_running_average=False) before the calls that should update them.",
        _stats_never_move,
        pitfall="calling in evaluation mode all along",
    ),
    Misconception(
        "params_returned",
        "Your mean and var are the layer's bias (zeros) and scale (ones): those are nnx.Params, "
        "the trainable part. The running statistics are nnx.BatchStat variables: return "
        "bn.mean[...] and bn.var[...].",
        _params_returned,
        pitfall="Returning the `Param`s",
    ),
    Misconception(
        "one_call_too_many",
        "Your running statistics took one update too many: call the layer in training mode exactly "
        "int(calls) times (for _ in range(int(calls))), then once more in evaluation mode for eval_out.",
        _calls_off_by(1),
    ),
    Misconception(
        "one_call_too_few",
        "Your running statistics took one update too few: call the layer in training mode exactly "
        "int(calls) times (for _ in range(int(calls))); the evaluation-mode call after them does not count.",
        _calls_off_by(-1),
    ),
    Misconception(
        "whole_batch_statistics",
        "Your statistics are one mean and one variance over the whole batch, all features together. "
        "BatchNorm keeps them per feature: the mean and variance of each column, over the rows (axis 0).",
        _whole_batch_statistics,
    ),
)
