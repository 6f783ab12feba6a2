"""custom_variable: a Variable type of the learner's own (a call counter), filtered with nnx.state.

Its facts are in problem.toml; see docs/adding-a-problem.md."""
