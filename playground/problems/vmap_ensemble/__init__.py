"""vmap_ensemble: an ensemble of layers built with nnx.split_rngs and nnx.vmap, one key each."""

from playground.problems import Argument, ArgumentKind, ErrorHint, folder_problem
from playground.problems.common import INIT_APPLY_HINT, Field, cast_hints, custom_input_parser, import_hints
from playground.problems.vmap_ensemble.cases import CASES, MAX_MEMBERS, MAX_SEED
from playground.problems.vmap_ensemble.misconceptions import MISCONCEPTIONS

MAX_INPUTS = 16

CAST_HINT = (
    "The harness passes seed and members as floats: cast them with int(...), as in "
    "nnx.Rngs(int(seed)) and nnx.split_rngs(splits=int(members))."
)

ERROR_HINTS = (
    ErrorHint(
        r"'float' object cannot be interpreted as an integer",
        CAST_HINT,
        pitfall="Forgetting `int()`",
        example="TypeError: 'float' object cannot be interpreted as an integer",
    ),
    ErrorHint(
        r"vmap was requested to map its argument along axis 0, which implies that its rank should be at least 1",
        "nnx.vmap(in_axes=(0,)) maps over axis 0 of the Rngs' keys, but an unsplit nnx.Rngs "
        "holds a single key. Put @nnx.split_rngs(splits=int(members)) above @nnx.vmap: it "
        "turns the key into `members` keys for vmap to hand out.",
    ),
    ErrorHint(
        r"vmap got inconsistent sizes for array axes to be mapped",
        "Only the ensemble is split among the members; x is the same for all of them: call "
        "the layers with @nnx.vmap(in_axes=(0, None)), where None means 'not mapped'.",
    ),
    ErrorHint(
        r"dot_general requires contracting dimensions to have the same shape",
        "The ensemble's kernel has shape (members, in_features, 3): calling it directly does not "
        "loop over the members. Call it inside @nnx.vmap(in_axes=(0, None), out_axes=0).",
    ),
    *cast_hints(CAST_HINT),
    ErrorHint(
        r"missing 1 required keyword-only argument: 'rngs'",
        "nnx.Linear needs its random keys: inside the vmapped function, pass rngs=rngs, the "
        "(split) Rngs that vmap hands to each member.",
    ),
    INIT_APPLY_HINT,
    *import_hints(),
)

STARTER_HINT = (
    "This is still the starter code: write a function that builds one "
    "`nnx.Linear(x.shape[-1], 3, rngs=rngs)`, decorate it with "
    "`@nnx.split_rngs(splits=int(members))` and `@nnx.vmap(in_axes=(0,), out_axes=0)`, and call it "
    "with `nnx.Rngs(int(seed))`."
)

PROBLEM = folder_problem(
    __file__,
    id="vmap_ensemble",
    title="An ensemble with nnx.vmap and nnx.split_rngs",
    order=12,
    entry_point="vmap_ensemble",
    arguments=(
        Argument("seed", ArgumentKind.FLOAT),
        Argument("x", ArgumentKind.F32_VECTOR),
        Argument("members", ArgumentKind.FLOAT),
    ),
    cases=CASES,
    rtol=1e-5,
    atol=1e-6,
    misconceptions=MISCONCEPTIONS,
    error_hints=ERROR_HINTS,
    starter_hint=STARTER_HINT,
    parse_custom_input=custom_input_parser(
        Field("seed", "whole", 0, MAX_SEED, "0"),
        Field("members", "whole", 1, MAX_MEMBERS, "4"),
        Field("x", "numbers", 1, MAX_INPUTS, "1, 2, 3"),
    ),
    hints=(
        "Write the code for ONE member, `def create(rngs): return nnx.Linear(x.shape[-1], 3, rngs=rngs)`, "
        "and let transforms make many: `@nnx.vmap(in_axes=(0,), out_axes=0)` maps it over axis 0 of "
        "the rngs' keys and stacks the members' parameters on axis 0.",
        "An `nnx.Rngs(int(seed))` holds one key per stream; `@nnx.split_rngs(splits=int(members))`, "
        "written above the `@nnx.vmap`, splits it into `members` keys just for that call.",
        "Run them with `@nnx.vmap(in_axes=(0, None), out_axes=0)` on `def forward(model, x): return model(x)`: "
        "the layers are mapped, x is shared. Return `outputs, outputs.mean(axis=0)`.",
    ),
    shape_arguments=("members",),
    custom_fields=("seed", "members", "x"),
    output_names=("outputs", "mean"),
)
