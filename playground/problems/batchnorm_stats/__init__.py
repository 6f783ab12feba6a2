"""batchnorm_stats: nnx.BatchNorm's running statistics (BatchStat, not Param) in training and evaluation mode.

Its facts are in problem.toml; see docs/adding-a-problem.md."""
