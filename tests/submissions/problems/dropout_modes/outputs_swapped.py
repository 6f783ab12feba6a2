# Returns the two outputs in the order the calls were written last.
# expect-status: wrong_answer
# expect-hint: holds what
from flax import nnx


def dropout_modes(seed, x, rate):
    model = nnx.Dropout(rate, rngs=nnx.Rngs(dropout=int(seed)))
    model.eval()
    evaluated = model(x)
    model.train()
    train = model(x)
    return evaluated, train
