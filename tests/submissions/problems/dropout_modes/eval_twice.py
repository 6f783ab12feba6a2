# Calls eval() where train() belongs: nothing is ever dropped.
# expect-status: wrong_answer
# expect-hint: x unchanged
from flax import nnx


def dropout_modes(seed, x, rate):
    drop = nnx.Dropout(rate, rngs=nnx.Rngs(dropout=int(seed)))
    drop.eval()
    train = drop(x)
    drop.eval()
    return train, drop(x)
