"""The trust boundary: zygote, pool of warm workers, isolation, limits and the worker protocol.

Nothing here imports the rest of `playground`: what a worker needs from a problem reaches it as data.
"""
