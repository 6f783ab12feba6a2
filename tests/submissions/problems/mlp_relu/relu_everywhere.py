# A ReLU after each layer, the last one included.
# expect-status: wrong_answer
# expect-hint: ReLU too
from flax import nnx


class MLP(nnx.Module):
    def __init__(self, n_in, hidden, n_out, *, rngs):
        self.linear1 = nnx.Linear(n_in, hidden, rngs=rngs)
        self.linear2 = nnx.Linear(hidden, n_out, rngs=rngs)

    def __call__(self, x):
        for layer in (self.linear1, self.linear2):
            x = nnx.relu(layer(x))
        return x


def mlp_relu(seed, x, hidden, features):
    return MLP(x.shape[-1], int(hidden), int(features), rngs=nnx.Rngs(int(seed)))(x)
