# Reads rate as the probability of keeping a value.
# expect-status: wrong_answer
# expect-hint: probability of keeping
from flax import nnx


def dropout_modes(seed, x, rate):
    model = nnx.Dropout(1.0 - rate, rngs=nnx.Rngs(dropout=int(seed)))
    model.train()
    train = model(x)
    model.eval()
    return train, model(x)
