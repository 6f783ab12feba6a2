# Gives each layer its own nnx.Rngs(seed).
# expect-status: wrong_answer
# expect-hint: same first key
from flax import nnx


class MLP(nnx.Module):
    def __init__(self, n_in, hidden, n_out, seed):
        self.linear1 = nnx.Linear(n_in, hidden, rngs=nnx.Rngs(seed))
        self.linear2 = nnx.Linear(hidden, n_out, rngs=nnx.Rngs(seed))

    def __call__(self, x):
        return self.linear2(nnx.relu(self.linear1(x)))


def mlp_relu(seed, x, hidden, features):
    return MLP(x.shape[-1], int(hidden), int(features), int(seed))(x)
