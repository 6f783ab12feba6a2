"""embed_layernorm: nnx.Embed looks up ids that arrive as floats, then nnx.LayerNorm normalises each token.

Its facts are in problem.toml; see docs/adding-a-problem.md."""
