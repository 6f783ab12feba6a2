# Forgets to switch to evaluation mode for the second output.
# expect-status: wrong_answer
# expect-hint: still in training mode
from flax import nnx


class Block(nnx.Module):
    def __init__(self, rate, rngs):
        self.dropout = nnx.Dropout(rate, rngs=rngs)

    def __call__(self, x):
        return self.dropout(x)


def dropout_modes(seed, x, rate):
    block = Block(rate, nnx.Rngs(dropout=int(seed)))
    block.train()
    first = block(x)
    second = block(x)
    return first, second
