# nnx.swish (SiLU) between the layers, as in modern MLPs.
# expect-status: wrong_answer
# expect-hint: SiLU
from flax import nnx


class MLP(nnx.Module):
    def __init__(self, n_in, hidden, n_out, *, rngs):
        self.linear1 = nnx.Linear(n_in, hidden, rngs=rngs)
        self.linear2 = nnx.Linear(hidden, n_out, rngs=rngs)

    def __call__(self, x):
        return self.linear2(nnx.swish(self.linear1(x)))


def mlp_relu(seed, x, hidden, features):
    return MLP(x.shape[-1], int(hidden), int(features), rngs=nnx.Rngs(int(seed)))(x)
