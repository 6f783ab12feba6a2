"""state_roundtrip: split a model into graphdef and state, count and shift its params, merge a new model.

Its facts are in problem.toml; see docs/adding-a-problem.md."""
