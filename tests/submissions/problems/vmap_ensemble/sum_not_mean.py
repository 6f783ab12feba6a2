# Sums the members' outputs.
# expect-status: wrong_answer
# expect-hint: members' sum
from flax import nnx


def vmap_ensemble(seed, x, members):
    @nnx.split_rngs(splits=int(members))
    @nnx.vmap(in_axes=(0,), out_axes=0)
    def create(rngs):
        return nnx.Linear(x.shape[-1], 3, rngs=rngs)

    @nnx.vmap(in_axes=(0, None), out_axes=0)
    def forward(model, inputs):
        return model(inputs)

    outputs = forward(create(nnx.Rngs(int(seed))), x)
    return outputs, outputs.sum(axis=0)
