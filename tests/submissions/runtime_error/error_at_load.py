# Fails while the module is being loaded, before the function is called.
# expect-message: while loading
# expect-message: line 6
import math

SCALE = 1 / math.sqrt(0)


def module_basics_forward(seed, x, features):
    return x
