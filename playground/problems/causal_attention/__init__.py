"""causal_attention: one self-attention head with nnx.Linear projections and a causal mask.

Its facts are in problem.toml; see docs/adding-a-problem.md."""
