"""Equivalent spellings of a reference solution, made by composing small AST rewrites.

    from playground.corpus.spellings import spellings

    for spelling in spellings("module_basics_forward", count=200):
        spelling.name      # the rewrites applied, e.g. "value_attr+matmul_dot+sqrt_jnp#17"
        spelling.source    # the whole solution, written another way

Learners write the same answer in many ways: `.value` or `[...]`, `@` or `jnp.dot`, `1.0 /
math.sqrt(n)` or `1 / jnp.sqrt(n)` or `n ** -0.5`, a dtype argument, keyword arguments, a helper
function... Each rewrite below is one such habit. A spelling applies a random combination of them
(seeded, so the list is the same on every call) and is kept only when it gives the reference's
answer on every visible and hidden test, run in-process (trusted: it is our own rewrite of the
reference), so a spelling that is not equivalent for some problem never enters the corpus.
"""

from __future__ import annotations

import ast
import copy
import random
from collections.abc import Callable
from dataclasses import dataclass

from playground.problems import SOLUTIONS_DIR, get_problem


@dataclass(frozen=True)
class Spelling:
    """One way to write a reference solution: the rewrites applied, and the whole source."""

    name: str
    source: str


Rewrite = Callable[[ast.Module, random.Random], bool]  # rewrites the tree in place; True when it changed it


def _attr(dotted: str) -> ast.expr:
    return ast.parse(dotted, mode="eval").body


def _is_call_to(node: ast.AST, dotted: str) -> bool:
    return isinstance(node, ast.Call) and ast.unparse(node.func) == dotted


def _transform(tree: ast.Module, rng: random.Random, visit: Callable[[ast.AST, random.Random], ast.AST | None]) -> bool:
    """Replace nodes for which `visit` returns a new node (each site taken with probability 3/4)."""
    changed = False

    class _Rewriter(ast.NodeTransformer):
        def generic_visit(self, node: ast.AST) -> ast.AST:
            nonlocal changed
            node = super().generic_visit(node)
            replacement = visit(node, rng)
            if replacement is not None and rng.random() < 0.75:
                changed = True
                return ast.copy_location(replacement, node)
            return node

    _Rewriter().visit(tree)
    ast.fix_missing_locations(tree)
    return changed


def value_attr(tree: ast.Module, rng: random.Random) -> bool:
    """`v[...]` read as `v.value` (the deprecated spelling many tutorials still show)."""

    def visit(node: ast.AST, _rng: random.Random) -> ast.AST | None:
        if (
            isinstance(node, ast.Subscript)
            and isinstance(node.ctx, ast.Load)
            and isinstance(node.slice, ast.Constant)
            and node.slice.value is Ellipsis
        ):
            return ast.Attribute(value=node.value, attr="value", ctx=ast.Load())
        return None

    return _transform(tree, rng, visit)


def matmul_forms(tree: ast.Module, rng: random.Random) -> bool:
    """`a @ b` as `jnp.dot(a, b)`, `jnp.matmul(a, b)` or `jnp.einsum` where the ranks are plain."""

    def visit(node: ast.AST, rng: random.Random) -> ast.AST | None:
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.MatMult):
            function = rng.choice(["jnp.dot", "jnp.matmul"])
            return ast.Call(func=_attr(function), args=[node.left, node.right], keywords=[])
        return None

    return _transform(tree, rng, visit)


def sqrt_forms(tree: ast.Module, rng: random.Random) -> bool:
    """`math.sqrt(n)` or `jnp.sqrt(n)` as one of the other ways to take a square root."""

    def visit(node: ast.AST, rng: random.Random) -> ast.AST | None:
        if (_is_call_to(node, "math.sqrt") or _is_call_to(node, "jnp.sqrt")) and len(node.args) == 1:
            (value,) = node.args
            choice = rng.choice(["jnp.sqrt", "math.sqrt", "np.sqrt", "pow", "float"])
            if choice == "pow":
                return ast.BinOp(left=value, op=ast.Pow(), right=ast.Constant(0.5))
            if choice == "float":
                return ast.Call(func=_attr("jnp.sqrt"), args=[ast.Call(func=_attr("float"), args=[value], keywords=[])], keywords=[])
            return ast.Call(func=_attr(choice), args=[value], keywords=[])
        return None

    return _transform(tree, rng, visit)


def reciprocal_forms(tree: ast.Module, rng: random.Random) -> bool:
    """`1.0 / e` as `1 / e` or `e ** -1`; and `a * (1 / e)` as `a / e`."""

    def visit(node: ast.AST, rng: random.Random) -> ast.AST | None:
        if not isinstance(node, ast.BinOp):
            return None
        if isinstance(node.op, ast.Div) and isinstance(node.left, ast.Constant) and node.left.value == 1:
            if rng.random() < 0.5:
                return ast.BinOp(left=ast.Constant(1 if isinstance(node.left.value, float) else 1.0), op=ast.Div(), right=node.right)
            return ast.BinOp(left=node.right, op=ast.Pow(), right=ast.Constant(-1))
        inverse = node.right
        if (
            isinstance(node.op, ast.Mult)
            and isinstance(inverse, ast.BinOp)
            and isinstance(inverse.op, ast.Div)
            and isinstance(inverse.left, ast.Constant)
            and inverse.left.value == 1
        ):
            return ast.BinOp(left=node.left, op=ast.Div(), right=inverse.right)
        return None

    return _transform(tree, rng, visit)


def inline_scale(tree: ast.Module, rng: random.Random) -> bool:
    """A name bound once and used once in the same function, written in place (`scale = ...; w * scale`)."""
    changed = False
    for function in [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]:
        for statement in list(function.body):
            if not (isinstance(statement, ast.Assign) and len(statement.targets) == 1 and isinstance(statement.targets[0], ast.Name)):
                continue
            name = statement.targets[0].id
            uses = [n for n in ast.walk(function) if isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Load)]
            stores = [n for n in ast.walk(function) if isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Store)]
            if len(uses) != 1 or len(stores) != 1 or rng.random() < 0.5 or _has_call(statement.value):
                continue
            use = uses[0]
            for parent in ast.walk(function):
                for field, value in ast.iter_fields(parent):
                    if value is use:
                        setattr(parent, field, copy.deepcopy(statement.value))
                    elif isinstance(value, list) and use in value:
                        value[value.index(use)] = copy.deepcopy(statement.value)
            function.body.remove(statement)
            changed = True
    ast.fix_missing_locations(tree)
    return changed


def _has_call(node: ast.AST) -> bool:
    # Moving a call could change how many keys are drawn, or when: only plain arithmetic is inlined.
    return any(isinstance(n, ast.Call) and not _is_call_to(n, "math.sqrt") for n in ast.walk(node))


def dtype_argument(tree: ast.Module, rng: random.Random) -> bool:
    """`jax.random.normal(key, shape)` with an explicit `dtype=jnp.float32`."""

    def visit(node: ast.AST, _rng: random.Random) -> ast.AST | None:
        if (
            isinstance(node, ast.Call)
            and ast.unparse(node.func).startswith("jax.random.")
            and ast.unparse(node.func).rsplit(".", 1)[1] in ("normal", "uniform", "truncated_normal")
            and not any(k.arg == "dtype" for k in node.keywords)
        ):
            return ast.Call(func=node.func, args=node.args, keywords=[*node.keywords, ast.keyword("dtype", _attr("jnp.float32"))])
        return None

    return _transform(tree, rng, visit)


def asarray_forms(tree: ast.Module, rng: random.Random) -> bool:
    """`jnp.asarray(x, dtype=jnp.float32)` as `jnp.array(...)`, or without the dtype (x arrives as float32)."""

    def visit(node: ast.AST, rng: random.Random) -> ast.AST | None:
        if _is_call_to(node, "jnp.asarray") and len(node.args) == 1:
            if rng.random() < 0.5:
                return ast.Call(func=_attr("jnp.array"), args=node.args, keywords=node.keywords)
            keywords = [k for k in node.keywords if not (k.arg == "dtype" and ast.unparse(k.value) == "jnp.float32")]
            return ast.Call(func=node.func, args=node.args, keywords=keywords)
        return None

    return _transform(tree, rng, visit)


def commute_products(tree: ast.Module, rng: random.Random) -> bool:
    """`a * b` as `b * a`."""

    def visit(node: ast.AST, _rng: random.Random) -> ast.AST | None:
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult):
            return ast.BinOp(left=node.right, op=ast.Mult(), right=node.left)
        return None

    return _transform(tree, rng, visit)


def keyword_sizes(tree: ast.Module, rng: random.Random) -> bool:
    """`nnx.Linear(a, b, ...)` with `in_features=a, out_features=b`."""

    def visit(node: ast.AST, _rng: random.Random) -> ast.AST | None:
        if _is_call_to(node, "nnx.Linear") and len(node.args) == 2:
            sizes = [ast.keyword("in_features", node.args[0]), ast.keyword("out_features", node.args[1])]
            return ast.Call(func=node.func, args=[], keywords=[*sizes, *node.keywords])
        return None

    return _transform(tree, rng, visit)


def rngs_keyword(tree: ast.Module, rng: random.Random) -> bool:
    """`nnx.Rngs(seed)` as `nnx.Rngs(params=seed)` (kept only where the problem needs no other stream)."""

    def visit(node: ast.AST, _rng: random.Random) -> ast.AST | None:
        if _is_call_to(node, "nnx.Rngs") and len(node.args) == 1 and not node.keywords:
            return ast.Call(func=node.func, args=[], keywords=[ast.keyword("params", node.args[0])])
        return None

    return _transform(tree, rng, visit)


def renamed_classes(tree: ast.Module, rng: random.Random) -> bool:
    """Every class the solution defines under another name."""
    classes = [n for n in tree.body if isinstance(n, ast.ClassDef)]
    if not classes:
        return False
    names = {c.name: f"{c.name}{rng.choice(['Layer', 'Model', 'Net', 'V2'])}" for c in classes}
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and node.name in names:
            node.name = names[node.name]
        elif isinstance(node, ast.Name) and node.id in names:
            node.id = names[node.id]
    return True


def helper_function(tree: ast.Module, rng: random.Random) -> bool:
    """The entry point's work moved into a helper that the entry point calls."""
    entry = next((n for n in tree.body if isinstance(n, ast.FunctionDef) and not n.name.startswith("_") and n.decorator_list == []), None)
    functions = [n for n in tree.body if isinstance(n, ast.FunctionDef)]
    if entry is None or entry is not functions[-1]:
        return False
    helper = copy.deepcopy(entry)
    helper.name = f"_{entry.name}_impl"
    call = ast.Call(func=ast.Name(helper.name, ast.Load()), args=[ast.Name(a.arg, ast.Load()) for a in entry.args.args], keywords=[])
    entry.body = [ast.Return(call)]
    tree.body.insert(tree.body.index(entry), helper)
    ast.fix_missing_locations(tree)
    return True


REWRITES: dict[str, Rewrite] = {
    "value_attr": value_attr,
    "matmul_forms": matmul_forms,
    "sqrt_forms": sqrt_forms,
    "reciprocal_forms": reciprocal_forms,
    "inline_scale": inline_scale,
    "dtype_argument": dtype_argument,
    "asarray_forms": asarray_forms,
    "commute_products": commute_products,
    "keyword_sizes": keyword_sizes,
    "rngs_keyword": rngs_keyword,
    "renamed_classes": renamed_classes,
    "helper_function": helper_function,
}
IMPORTS = "import math\n\nimport jax\nimport jax.numpy as jnp\nimport numpy as np\nfrom flax import nnx\n"


def candidates(source: str, count: int, seed: int = 0) -> list[Spelling]:
    """Up to `count` distinct rewrites of the source (not yet checked for equivalence)."""
    rng = random.Random(seed)
    found: dict[str, Spelling] = {}
    attempts = 0
    while len(found) < count and attempts < count * 20:
        attempts += 1
        tree = ast.parse(source)
        chosen = rng.sample(sorted(REWRITES), rng.randint(1, 5))
        applied = [name for name in chosen if REWRITES[name](tree, rng)]
        if not applied:
            continue
        text = _with_imports(ast.unparse(tree))
        if text not in found and text != source:
            found[text] = Spelling(f"{'+'.join(applied)}#{len(found)}", text)
    return list(found.values())


def _with_imports(body: str) -> str:
    # Rewrites may use math, jnp or np where the reference did not; the imports are the usual ones.
    return IMPORTS + "\n" + body + "\n"


def spellings(problem_id: str, count: int = 100, seed: int = 0) -> list[Spelling]:
    """Up to `count` spellings of the reference that give its answer on every test (checked in-process)."""
    from playground.corpus.mutation import entry_point_of, run_program, same_answer

    problem = get_problem(problem_id)
    reference = problem.reference()
    expected = [(case.inputs, run_program(problem, reference, case.inputs)) for case in problem.cases]
    kept = []
    source = (SOLUTIONS_DIR / f"{problem_id}.py").read_text(encoding="utf-8")
    for candidate in candidates(source, count * 2, seed):
        try:
            entry = entry_point_of(problem, candidate.source)
        except Exception:  # noqa: BLE001 - a rewrite that does not load here is not a spelling
            continue
        if all(same_answer(problem, run_program(problem, entry, inputs), want, inputs) for inputs, want in expected):
            kept.append(candidate)
        if len(kept) >= count:
            break
    return kept
