"""Known wrong answers to custom_variable, each computed by trusted code, with its hint."""

from collections.abc import Callable

import jax.numpy as jnp
import numpy as np
from flax import nnx

from playground.problems import Misconception

Answer = tuple[np.ndarray, np.ndarray, np.ndarray]


def _right(inputs: dict) -> tuple[int, np.ndarray, np.ndarray, np.ndarray]:
    # calls, the layer's bias, its kernel and its output: what the right answer is made of.
    x = jnp.asarray(inputs["x"], dtype=jnp.float32)
    linear = nnx.Linear(x.shape[-1], 2, rngs=nnx.Rngs(int(inputs["seed"])))
    bias, kernel = np.asarray(linear.bias[...]), np.asarray(linear.kernel[...])
    return int(inputs["calls"]), bias, kernel, np.asarray(linear(x))


def _params(bias: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    # jax.tree.leaves(nnx.state(model, nnx.Param)): paths in sorted order, linear/bias first.
    return np.concatenate([bias.ravel(), kernel.ravel()])


def _with_count(count: Callable[[int], list[float] | float]) -> Callable[[dict], Answer]:
    """The right params and output with another count part, computed from the number of calls."""

    def compute(inputs: dict) -> Answer:
        calls, bias, kernel, output = _right(inputs)
        return np.asarray(count(calls), dtype=np.float64), _params(bias, kernel), output

    return compute


def _counter_is_param(inputs: dict) -> Answer:
    # The counter among the Params: its path, count, sorts before linear/...
    calls, bias, kernel, output = _right(inputs)
    return np.asarray([calls], dtype=np.float64), np.concatenate([[calls], _params(bias, kernel)]), output


def _count_unfiltered(inputs: dict) -> Answer:
    # nnx.state(model) with no filter: the counter and every parameter, in path order.
    calls, bias, kernel, output = _right(inputs)
    everything = np.concatenate([[calls], _params(bias, kernel)])
    return everything, _params(bias, kernel), output


MISCONCEPTIONS = (
    Misconception(
        "counter_is_param",
        "Your params part holds one value too many, first of all the count: the counter is "
        "among the parameters. Derive Counter from nnx.Variable, not nnx.Param (an optimizer "
        "would train a Param), and read the parameters with the filter: "
        "nnx.state(model, nnx.Param).",
        _counter_is_param,
        pitfall="Deriving `Counter` from `nnx.Param`",
    ),
    Misconception(
        "count_unfiltered",
        "Your count part holds every value of the model, the count followed by the "
        "parameters: nnx.state(model) with no filter returns all of its state. Pass your class "
        "as the filter: nnx.state(model, Counter).",
        _count_unfiltered,
        pitfall="Forgetting the filter",
    ),
    Misconception(
        "no_counter_found",
        "nnx.state(model, Counter) found nothing in your model: the count is not kept in a "
        "Counter. Create it as self.count = Counter(jnp.array(0)) and update it in place with "
        "self.count[...] += 1; a plain int or array attribute is not a Variable, and "
        "self.count = self.count[...] + 1 replaces your Counter with a plain array.",
        _with_count(lambda calls: []),
        pitfall="Keeping the count in a plain attribute",
    ),
    Misconception(
        "extra_call",
        "Your count is one more than calls: you called the model once more after the loop, to "
        "get the output. Keep the output of the last call inside the loop instead; every call "
        "counts.",
        _with_count(lambda calls: [calls + 1]),
        pitfall="Calling the model once more",
    ),
    Misconception(
        "never_incremented",
        "Your counter is still 0: the update never reached the Counter. `count = self.count[...]` "
        "makes a copy, so adding 1 to it changes nothing; write self.count[...] += 1.",
        _with_count(lambda calls: [0]),
        pitfall="adding 1 to a copy",
    ),
    Misconception(
        "recreated_each_call",
        "Your counter is 1 whatever the number of calls: it is created anew in __call__, so "
        "every call starts again from 0. Create the Counter once, in __init__, and only update "
        "it in __call__.",
        _with_count(lambda calls: [1]),
        pitfall="Creating the `Counter` in `__call__`",
    ),
    Misconception(
        "count_scalar",
        "Your count is right but it is a single number; the count part is the 1-D array of "
        "the values in nnx.state(model, Counter), one per Counter: "
        "jnp.array(jax.tree.leaves(nnx.state(model, Counter))).",
        _with_count(lambda calls: calls),
    ),
)
