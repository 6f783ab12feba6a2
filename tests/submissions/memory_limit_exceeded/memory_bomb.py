# Builds a list far bigger than the memory limit (bounded: 4 GiB worth of pointers at most).
def module_basics_forward(seed, x, features):
    hoard = []
    for _ in range(64):
        hoard.append([0.0] * (8 * 1024 * 1024))
    return hoard
