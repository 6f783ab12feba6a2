"""vmap_ensemble: an ensemble of layers built with nnx.split_rngs and nnx.vmap, one key each.

Its facts are in problem.toml; see docs/adding-a-problem.md."""
