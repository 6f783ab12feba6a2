# Takes two arguments instead of three.
# expect-message: (seed, x, features)
def module_basics_forward(seed, x):
    return x
