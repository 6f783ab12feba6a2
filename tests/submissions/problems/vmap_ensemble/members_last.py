# Puts the members on the last axis in the forward vmap.
# expect-status: wrong_answer
# expect-hint: members on the last axis
from flax import nnx


def vmap_ensemble(seed, x, members):
    @nnx.split_rngs(splits=int(members))
    @nnx.vmap(in_axes=(0,), out_axes=0)
    def create(rngs):
        return nnx.Linear(x.shape[-1], 3, rngs=rngs)

    @nnx.vmap(in_axes=(0, None), out_axes=1)
    def forward(model, inputs):
        return model(inputs)

    outputs = forward(create(nnx.Rngs(int(seed))), x)
    return outputs, outputs.mean(axis=0)
