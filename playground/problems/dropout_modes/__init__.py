"""dropout_modes: nnx.Dropout fed by a named `dropout` rng stream, in training and in evaluation mode.

Its facts are in problem.toml; see docs/adding-a-problem.md."""
