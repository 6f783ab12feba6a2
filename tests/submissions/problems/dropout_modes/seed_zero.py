# Hard-codes the dropout stream's seed.
# expect-status: wrong_answer
# expect-hint: seed 0
from flax import nnx


def dropout_modes(seed, x, rate):
    model = nnx.Dropout(rate, rngs=nnx.Rngs(dropout=0))
    model.train()
    train = model(x)
    model.eval()
    return train, model(x)
