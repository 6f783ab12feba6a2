"""module_basics_forward: a one-parameter nnx module whose kernel comes from rngs.params().

Its facts are in problem.toml; see docs/adding-a-problem.md."""
