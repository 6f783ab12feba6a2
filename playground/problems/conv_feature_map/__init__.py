"""conv_feature_map: one nnx.Conv over an NHWC image: kernel shape, SAME or VALID padding, strides.

Its facts are in problem.toml; see docs/adding-a-problem.md."""
