"""causal_attention: one self-attention head with nnx.Linear projections and a causal mask."""

from playground.problems import Argument, ArgumentKind, ErrorHint, folder_problem
from playground.problems.causal_attention.cases import CASES, MAX_SEED
from playground.problems.causal_attention.misconceptions import MISCONCEPTIONS
from playground.problems.common import INIT_APPLY_HINT, Field, cast_hints, custom_input_parser, import_hints

MAX_TOKENS = 16
MAX_WIDTH = 16

CAST_HINT = (
    "The harness passes seed and head_dim as floats: cast them with int(...) before "
    "nnx.Rngs(int(seed)) and nnx.Linear(model_dim, int(head_dim), rngs=rngs)."
)

ERROR_HINTS = (
    ErrorHint(
        r"Shapes must be 1D sequences of concrete values of integer type",
        CAST_HINT,
        pitfall="Forgetting `int()`",
        example="TypeError: Shapes must be 1D sequences of concrete values of integer type, got (3, 2.0).",
    ),
    *cast_hints(CAST_HINT),
    ErrorHint(
        r"dot_general requires contracting dimensions to have the same shape",
        "The shapes do not line up for a product. The scores are q @ k.T, (T, head_dim) times "
        "(head_dim, T): transpose the keys. The projections take model_dim = x.shape[-1] inputs.",
    ),
    ErrorHint(
        r"module 'jax\.numpy' has no attribute 'softmax'",
        "jax.numpy has no softmax: use jax.nn.softmax(scores, axis=-1) (nnx.softmax is the same function).",
    ),
    ErrorHint(
        r"must be at least 2D|Incompatible shapes for broadcasting",
        "The mask must have the scores' shape, (T, T) with T = x.shape[0] tokens: "
        "jnp.tril(jnp.ones((T, T), dtype=bool)).",
    ),
    ErrorHint(
        r"missing 1 required keyword-only argument: 'rngs'",
        "nnx.Linear needs its random keys: pass rngs=rngs, the one nnx.Rngs(int(seed)) shared by "
        "all three projections.",
    ),
    INIT_APPLY_HINT,
    *import_hints(),
)

STARTER_HINT = (
    "This is still the starter code: replace each NotImplementedError with your code, starting "
    "with `self.query = nnx.Linear(model_dim, head_dim, rngs=rngs)` and the key and value "
    "projections after it."
)

PROBLEM = folder_problem(
    __file__,
    id="causal_attention",
    title="Causal self-attention, one head",
    order=10,
    entry_point="causal_attention",
    arguments=(
        Argument("seed", ArgumentKind.FLOAT),
        Argument("x", ArgumentKind.F32_MATRIX),
        Argument("head_dim", ArgumentKind.FLOAT),
    ),
    cases=CASES,
    rtol=1e-4,
    atol=1e-5,
    misconceptions=MISCONCEPTIONS,
    error_hints=ERROR_HINTS,
    starter_hint=STARTER_HINT,
    parse_custom_input=custom_input_parser(
        Field("seed", "whole", 0, MAX_SEED, "0"),
        Field("head_dim", "whole", 1, MAX_WIDTH, "2"),
        Field("x", "matrix", 1, MAX_TOKENS, "1, 0, 2; 0.5, -1, 1; 2, 1, 0", columns=MAX_WIDTH, largest=1e3),
    ),
    hints=(
        "Build `self.query`, `self.key` and `self.value` as `nnx.Linear(model_dim, head_dim, rngs=rngs)`, "
        "in that order, from one `nnx.Rngs(int(seed))`. Each maps every token (row of x) to head_dim numbers.",
        "`scores = q @ k.T / jnp.sqrt(head_dim)` is (T, T): row i holds query i against every key. "
        "Hide the future with `jnp.where(jnp.tril(jnp.ones((T, T), dtype=bool)), scores, -jnp.inf)`.",
        "`weights = jax.nn.softmax(scores, axis=-1)` (each row sums to 1), then `return weights @ v, weights`.",
    ),
    shape_arguments=("head_dim",),
    custom_fields=("seed", "head_dim", "x"),
    output_names=("output", "weights"),
)
