"""training_step: a few SGD steps on nnx.Linear with nnx.value_and_grad and nnx.Optimizer.

Its facts are in problem.toml; see docs/adding-a-problem.md."""
