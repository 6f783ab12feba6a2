# Prints far more than 64 KiB (bounded: about 10 MB at most).
# expect-stdout: output cut here
def module_basics_forward(seed, x, features):
    for i in range(100_000):
        print("flood line", i, "x" * 80)
    return x
