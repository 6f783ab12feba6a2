"""flax.nnx playground: problems, a sandboxed judge, and the logic behind the page."""
