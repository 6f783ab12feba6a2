"""dense_with_bias: a hand-written dense layer whose kernel and bias initialise exactly like nnx.Linear.

Its facts are in problem.toml; see docs/adding-a-problem.md."""
