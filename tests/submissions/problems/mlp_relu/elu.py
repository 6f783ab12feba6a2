# An ELU between the layers.
# expect-status: wrong_answer
# expect-hint: ELU
import jax
from flax import nnx


def mlp_relu(seed, x, hidden, features):
    rngs = nnx.Rngs(int(seed))
    first = nnx.Linear(x.shape[-1], int(hidden), rngs=rngs)
    second = nnx.Linear(int(hidden), int(features), rngs=rngs)
    return second(jax.nn.elu(first(x)))
