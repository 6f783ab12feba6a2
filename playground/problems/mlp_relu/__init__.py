"""mlp_relu: two nnx.Linear submodules built from one Rngs, with a ReLU between them.

Its facts are in problem.toml; see docs/adding-a-problem.md."""
