# A missing colon.
# expect-message: line 6
from flax import nnx


def module_basics_forward(seed, x, features)
    return nnx.Rngs(int(seed))
