# Reaches for nnx.Linear, whose kernel initialiser is not the one asked for.
# expect-hint: lecun
from flax import nnx


def module_basics_forward(seed, x, features):
    layer = nnx.Linear(x.shape[-1], int(features), use_bias=False, rngs=nnx.Rngs(int(seed)))
    return layer(x)
