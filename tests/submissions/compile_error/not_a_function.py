# The entry point is not callable.
# expect-message: not a function
module_basics_forward = 42
