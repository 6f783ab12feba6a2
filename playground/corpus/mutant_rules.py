"""The mutation rules: one family of mistakes each, as the changes a rule offers for one AST node.

A rule looks at one node and yields a Change per mistake it can make there: its family (e.g. "sign"),
a detail naming the mistake (e.g. "plus->minus"), and how to build what takes the node's place.
playground.corpus.mutants applies them one at a time to a reference solution.
"""

from __future__ import annotations

import ast
import copy
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from playground.corpus.ast_edits import (
    dotted,
    is_nnx_layer,
    keyword_named,
    last_name,
    parse_expr,
    renamed_call,
    with_attr,
    with_keyword,
)


@dataclass(frozen=True)
class Change:
    """One mistake a rule can make at a node: its family, its detail, and what takes the node's place."""

    family: str
    detail: str
    # Builds what takes the node's place: a node, a list of statements, or None to delete it.
    build: Callable[[ast.AST], ast.AST | list[ast.stmt] | None]


Rule = Callable[[ast.AST], Iterator[Change]]


DISTRIBUTIONS = {
    "normal": ("uniform", "laplace", "logistic"),
    "uniform": ("normal",),
}


def _distribution(node: ast.AST) -> Iterator[Change]:
    if isinstance(node, ast.Call) and dotted(node.func).startswith("jax.random."):
        for other in DISTRIBUTIONS.get(last_name(node.func), ()):
            yield Change("distribution", f"{last_name(node.func)}->{other}", lambda n, o=other: renamed_call(n, f"jax.random.{o}"))
        if last_name(node.func) == "normal" and len(node.args) == 2:
            yield Change(
                "distribution",
                "normal->truncated_normal",
                lambda n: ast.Call(parse_expr("jax.random.truncated_normal"), [n.args[0], parse_expr("-2.0"), parse_expr("2.0"), n.args[1]], []),
            )


INITIALISERS = {
    "lecun_normal": ("he_normal", "glorot_normal", "lecun_uniform"),
    "zeros_init": ("ones_init",),
}


def _initialiser(node: ast.AST) -> Iterator[Change]:
    if isinstance(node, ast.Attribute) and dotted(node).startswith("nnx.initializers."):
        for other in INITIALISERS.get(node.attr, ()):
            yield Change("initialiser", f"{node.attr}->{other}", lambda n, o=other: with_attr(n, o))
    if is_nnx_layer(node, "Linear", "Conv") and keyword_named(node, "kernel_init") is None:
        yield Change("initialiser", "kernel_init=glorot_normal", lambda n: with_keyword(n, "kernel_init", parse_expr("nnx.initializers.glorot_normal()")))
        yield Change("initialiser", "use_bias=False", lambda n: with_keyword(n, "use_bias", parse_expr("False")))
    if is_nnx_layer(node, "Embed"):
        yield Change("initialiser", "embedding_init=normal", lambda n: with_keyword(n, "embedding_init", parse_expr("nnx.initializers.normal(1.0)")))


ACTIVATIONS = ("relu", "gelu", "tanh", "sigmoid", "leaky_relu", "elu", "silu")


def _activation(node: ast.AST) -> Iterator[Change]:
    if not (isinstance(node, ast.Call) and last_name(node.func) in ACTIVATIONS and dotted(node.func).split(".")[0] in ("nnx", "jax")):
        return
    name = last_name(node.func)
    prefix = dotted(node.func).rsplit(".", 1)[0]
    for other in ACTIVATIONS:
        if other != name:
            yield Change("activation", f"{name}->{other}", lambda n, o=other: renamed_call(n, f"{prefix}.{o}"))
    if node.args:
        yield Change("activation", f"{name}_dropped", lambda n: n.args[0])


def _extra_activation(node: ast.AST) -> Iterator[Change]:
    # An activation on a single-array answer (a tuple answer keeps its parts).
    if isinstance(node, ast.Return) and node.value is not None and not isinstance(node.value, ast.Tuple):
        yield Change("activation", "relu_on_answer", lambda n: ast.Return(ast.Call(parse_expr("jax.nn.relu"), [n.value], [])))


AXIS_KEYWORDS = ("axis", "in_axes", "out_axes")


def _axis(node: ast.AST) -> Iterator[Change]:
    if not isinstance(node, ast.keyword) or node.arg not in AXIS_KEYWORDS:
        return
    for position, value in enumerate(_int_values(node.value)):
        for other in sorted({0, 1, -1} - {value}):
            yield Change("axis", f"{node.arg}[{position}]:{value}->{other}", lambda n, p=position, o=other: _with_int(n, p, o))
    if any(isinstance(c, ast.Constant) and c.value is None for c in ast.walk(node.value)):
        yield Change("axis", f"{node.arg}:None->0", lambda n: _none_to_zero(n))


def _int_value(node: ast.AST) -> int | None:
    """The value of a literal int, negative ones (-1 is a minus sign applied to 1) included."""
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) and _int_value(node.operand) is not None:
        return -_int_value(node.operand)
    return None


def _int_values(node: ast.AST) -> list[int]:
    if _int_value(node) is not None:
        return [_int_value(node)]
    if isinstance(node, ast.Tuple):
        return [v for e in node.elts for v in _int_values(e)]
    return []


def _with_int(keyword: ast.keyword, position: int, value: int) -> ast.keyword:
    """The keyword with its position-th literal int (in _int_values order) set to value."""
    counter = iter(range(1 << 30))

    def rebuilt(node: ast.AST) -> ast.AST:
        if _int_value(node) is not None:
            return ast.Constant(value) if next(counter) == position else node
        if isinstance(node, ast.Tuple):
            return ast.Tuple([rebuilt(e) for e in node.elts], ast.Load())
        return node

    return ast.keyword(arg=keyword.arg, value=rebuilt(copy.deepcopy(keyword.value)))


def _none_to_zero(keyword: ast.keyword) -> ast.keyword:
    changed = copy.deepcopy(keyword)
    for constant in ast.walk(changed.value):
        if isinstance(constant, ast.Constant) and constant.value is None:
            constant.value = 0
    return changed


def _off_by_one(node: ast.AST) -> Iterator[Change]:
    if isinstance(node, ast.Call) and dotted(node.func) == "range" and len(node.args) == 1:
        for sign, op in (("+1", ast.Add()), ("-1", ast.Sub())):
            yield Change(
                "off_by_one",
                f"range{sign}",
                lambda n, op=op: ast.Call(n.func, [ast.BinOp(n.args[0], op, ast.Constant(1))], []),
            )
    if isinstance(node, ast.Call) and last_name(node.func) in ("tril", "triu"):
        for k in (1, -1):
            yield Change("off_by_one", f"{last_name(node.func)}_k={k}", lambda n, k=k: with_keyword(n, "k", ast.Constant(k)))
        other = "triu" if last_name(node.func) == "tril" else "tril"
        yield Change("mask", f"{last_name(node.func)}->{other}", lambda n, o=other: renamed_call(n, f"{dotted(n.func).rsplit('.', 1)[0]}.{o}"))
    if isinstance(node, ast.Subscript) and not isinstance(node.ctx, ast.Store):
        indices = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        for position, index in enumerate(indices):
            if isinstance(index, ast.Constant) and type(index.value) is int:
                yield Change("off_by_one", f"index[{position}]+1", lambda n, p=position: _shifted_index(n, p))


def _shifted_index(node: ast.Subscript, position: int) -> ast.Subscript:
    changed = copy.deepcopy(node)
    indices = changed.slice.elts if isinstance(changed.slice, ast.Tuple) else None
    constant = indices[position] if indices is not None else changed.slice
    constant.value += 1
    return changed


def _transpose(node: ast.AST) -> Iterator[Change]:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.MatMult):
        if isinstance(node.right, ast.Attribute) and node.right.attr == "T":
            yield Change("transpose", "T_dropped", lambda n: ast.BinOp(n.left, n.op, n.right.value))
        else:
            yield Change("transpose", "right.T", lambda n: ast.BinOp(n.left, n.op, ast.Attribute(n.right, "T", ast.Load())))
            yield Change("transpose", "operands_swapped", lambda n: ast.BinOp(ast.Attribute(n.right, "T", ast.Load()), n.op, n.left))


def _flipped_kernel(node: ast.AST) -> Iterator[Change]:
    # A true convolution: the layer's kernel turned by 180 degrees in its two spatial axes.
    if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
        if is_nnx_layer(node.value, "Conv"):
            name = node.targets[0].id
            flip = ast.parse(f"{name}.kernel[...] = {name}.kernel[...][::-1, ::-1]").body[0]
            yield Change("flipped_kernel", "conv_kernel_rot180", lambda n: [n, flip])


def _stride_by_subsampling(node: ast.AST) -> Iterator[Change]:
    # A strided convolution computed another way: at stride 1, then every s-th pixel kept. It
    # agrees with the strided layer except where 'SAME' pads an odd kernel differently.
    if not isinstance(node, ast.FunctionDef):
        return
    for statement in node.body:
        call = statement.value if isinstance(statement, ast.Assign) else None
        strides = keyword_named(call, "strides") if is_nnx_layer(call, "Conv") else None
        if strides is not None and isinstance(strides.value, ast.Tuple):
            step = strides.value.elts[0]
            yield Change("stride", "stride_1_then_subsampled", lambda n, c=call, s=step: _subsampled(n, c, s))


def _subsampled(function: ast.FunctionDef, conv: ast.Call, step: ast.expr) -> ast.FunctionDef:
    changed = copy.deepcopy(function)
    for node in ast.walk(changed):
        if isinstance(node, ast.Call) and ast.dump(node) == ast.dump(conv):
            node.keywords = [k for k in node.keywords if k.arg != "strides"]
        if isinstance(node, ast.Return) and node.value is not None:
            every = ast.Slice(None, None, copy.deepcopy(step))
            node.value = ast.Subscript(node.value, ast.Tuple([every, copy.deepcopy(every)], ast.Load()), ast.Load())
    return changed


def _epsilon(node: ast.AST) -> Iterator[Change]:
    if isinstance(node, ast.Call) and keyword_named(node, "epsilon") is not None:
        yield Change("epsilon", "left_out", lambda n: with_keyword(n, "epsilon", None))
        yield Change("epsilon", "times_10", lambda n: with_keyword(n, "epsilon", ast.BinOp(keyword_named(n, "epsilon").value, ast.Mult(), ast.Constant(10.0))))


def _statistics_axes(node: ast.AST) -> Iterator[Change]:
    if is_nnx_layer(node, "LayerNorm"):
        yield Change("statistics_axes", "whole_array", lambda n: with_keyword(n, "reduction_axes", parse_expr("(0, 1)")))
        yield Change("statistics_axes", "over_tokens", lambda n: with_keyword(n, "reduction_axes", parse_expr("0")))
        yield Change("statistics_axes", "rms_norm", lambda n: renamed_call(n, "nnx.RMSNorm"))


def _value_twice(node: ast.AST) -> Iterator[Change]:
    # One of several projections called where another belongs: q, k, v = query(x), query(x), value(x).
    if isinstance(node, ast.Tuple) and isinstance(node.ctx, ast.Load) and len(node.elts) >= 2:
        calls = [e for e in node.elts if isinstance(e, ast.Call)]
        if len(calls) == len(node.elts) and len({ast.dump(c.func) for c in calls}) == len(calls):
            for i in range(len(calls)):
                for j in range(len(calls)):
                    if i != j:
                        yield Change("value_twice", f"call{j}=call{i}", lambda n, i=i, j=j: _copied_element(n, i, j))
    # The same operand on both sides: q @ q.T, prediction - prediction.
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.MatMult, ast.Sub)):
        left, right = _root_name(node.left), _root_name(node.right)
        if left and right and left != right:
            yield Change("value_twice", f"{right}->{left}", lambda n, left=left, right=right: _renamed_names(n, right, left))


def _copied_element(node: ast.Tuple, source: int, target: int) -> ast.Tuple:
    changed = copy.deepcopy(node)
    changed.elts[target] = copy.deepcopy(changed.elts[source])
    return changed


def _root_name(node: ast.AST) -> str:
    while isinstance(node, (ast.Attribute, ast.Subscript, ast.Call)):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else ""


def _renamed_names(node: ast.BinOp, old: str, new: str) -> ast.BinOp:
    changed = copy.deepcopy(node)
    for name in ast.walk(changed.right):
        if isinstance(name, ast.Name) and name.id == old:
            name.id = new
    return changed


def _sign(node: ast.AST) -> Iterator[Change]:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Sub):
        yield Change("sign", "operands_swapped", lambda n: ast.BinOp(n.right, n.op, n.left))
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        yield Change("sign", "plus->minus", lambda n: ast.BinOp(n.left, ast.Sub(), n.right))
    if isinstance(node, ast.AugAssign) and isinstance(node.op, ast.Add):
        yield Change("sign", "augmented_plus->minus", lambda n: ast.AugAssign(n.target, ast.Sub(), n.value))
    if isinstance(node, ast.Return) and node.value is not None and not isinstance(node.value, ast.Tuple):
        yield Change("sign", "answer_negated", lambda n: ast.Return(ast.UnaryOp(ast.USub(), n.value)))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        yield Change("sign", "minus_dropped", lambda n: n.operand)


def _scale(node: ast.AST) -> Iterator[Change]:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
        yield Change("scale", "division_dropped", lambda n: n.left)
        yield Change("scale", "division->product", lambda n: ast.BinOp(n.left, ast.Mult(), n.right))
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult):
        yield Change("scale", "left_factor_dropped", lambda n: n.right)
        yield Change("scale", "right_factor_dropped", lambda n: n.left)
    if isinstance(node, ast.Call) and last_name(node.func) == "sqrt" and len(node.args) == 1:
        yield Change("scale", "sqrt_dropped", lambda n: n.args[0])
    if isinstance(node, ast.Call) and last_name(node.func) == "mean" and isinstance(node.func, ast.Attribute) and dotted(node.func) == "jnp.mean":
        yield Change("scale", "mean->sum", lambda n: renamed_call(n, "jnp.sum"))
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "mean" and not dotted(node.func).startswith("jnp"):
        yield Change("scale", "mean->sum", lambda n: ast.Call(with_attr(n.func, "sum"), n.args, n.keywords))


def _constant(node: ast.AST) -> Iterator[Change]:
    if isinstance(node, ast.Constant) and type(node.value) in (int, float) and not isinstance(node.value, bool):
        value = node.value
        other = value * 2 if value not in (0, 0.0) else value + 1
        yield Change("constant", f"{value!r}->{other!r}", lambda n, o=other: ast.Constant(o))


def _mode(node: ast.AST) -> Iterator[Change]:
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("train", "eval") and not node.args:
        other = "eval" if node.func.attr == "train" else "train"
        yield Change("mode", f"{node.func.attr}->{other}", lambda n, o=other: ast.Call(with_attr(n.func, o), [], []))


def _statement_dropped(node: ast.AST) -> Iterator[Change]:
    if isinstance(node, (ast.Expr, ast.AugAssign)) and not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)):
        yield Change("statement_dropped", type(node).__name__.lower(), lambda n: None)
    if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Subscript):
        yield Change("statement_dropped", "write", lambda n: None)


def _statement_repeated(node: ast.AST) -> Iterator[Change]:
    if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
        yield Change("statement_repeated", "call_twice", lambda n: [n, copy.deepcopy(n)])


LAYER_KEYWORDS = ("strides", "padding", "momentum", "epsilon", "use_running_average", "wrt", "kernel_size")


def _keyword_dropped(node: ast.AST) -> Iterator[Change]:
    if isinstance(node, ast.Call) and dotted(node.func).startswith("nnx."):
        for keyword in node.keywords:
            if keyword.arg in LAYER_KEYWORDS and keyword.arg != "epsilon":
                yield Change("keyword_dropped", keyword.arg, lambda n, a=keyword.arg: with_keyword(n, a, None))


def _padding(node: ast.AST) -> Iterator[Change]:
    if isinstance(node, ast.Constant) and node.value in ("SAME", "VALID"):
        other = "VALID" if node.value == "SAME" else "SAME"
        yield Change("padding", f"{node.value}->{other}", lambda n, o=other: ast.Constant(o))


def _rngs(node: ast.AST) -> Iterator[Change]:
    if isinstance(node, ast.Call) and dotted(node.func) == "nnx.Rngs":
        if node.args:
            yield Change("rngs", "seed+1", lambda n: ast.Call(n.func, [ast.BinOp(n.args[0], ast.Add(), ast.Constant(1))], n.keywords))
        for keyword in node.keywords:
            yield Change("rngs", f"{keyword.arg}->default", lambda n, a=keyword.arg: ast.Call(n.func, [keyword_named(n, a).value], []))
    if isinstance(node, ast.keyword) and node.arg == "rngs" and isinstance(node.value, ast.Name):
        yield Change("rngs", "fresh_rngs_0", lambda n: ast.keyword(arg="rngs", value=parse_expr("nnx.Rngs(0)")))


def _construction_order(node: ast.AST) -> Iterator[Change]:
    # Two layers built one after the other, in the other order (each takes the stream's next keys).
    if not isinstance(node, ast.FunctionDef):
        return
    for position in range(len(node.body) - 1):
        first, second = node.body[position], node.body[position + 1]
        if all(isinstance(s, ast.Assign) and isinstance(s.value, ast.Call) and dotted(s.value.func).startswith("nnx.") for s in (first, second)):

            def build(n: ast.FunctionDef, p: int = position) -> ast.FunctionDef:
                changed = copy.deepcopy(n)
                changed.body[p], changed.body[p + 1] = changed.body[p + 1], changed.body[p]
                return changed

            yield Change("construction_order", f"swap_{position}", build)


def _decorator_dropped(node: ast.AST) -> Iterator[Change]:
    if isinstance(node, ast.FunctionDef):
        for position, decorator in enumerate(node.decorator_list):
            name = last_name(decorator.func if isinstance(decorator, ast.Call) else decorator)

            def build(n: ast.FunctionDef, p: int = position) -> ast.FunctionDef:
                changed = copy.deepcopy(n)
                del changed.decorator_list[p]
                return changed

            yield Change("decorator_dropped", name, build)


def _layer_skipped(node: ast.AST) -> Iterator[Change]:
    # f(g(x)) -> g(x): a layer's input (a wrong layer's output) used in its place.
    if isinstance(node, ast.Call) and len(node.args) == 1 and isinstance(node.args[0], ast.Call):
        if isinstance(node.func, ast.Attribute) and dotted(node.func).startswith("self."):
            yield Change("layer_skipped", dotted(node.func), lambda n: n.args[0])


def _output_order(node: ast.AST) -> Iterator[Change]:
    if isinstance(node, ast.Return) and isinstance(node.value, ast.Tuple):
        for i in range(len(node.value.elts) - 1):

            def build(n: ast.Return, i: int = i) -> ast.Return:
                changed = copy.deepcopy(n)
                elts = changed.value.elts
                elts[i], elts[i + 1] = elts[i + 1], elts[i]
                return changed

            yield Change("output_order", f"swap_{i}", build)


RULES: tuple[Rule, ...] = (
    _distribution,
    _initialiser,
    _activation,
    _extra_activation,
    _axis,
    _off_by_one,
    _transpose,
    _flipped_kernel,
    _stride_by_subsampling,
    _epsilon,
    _statistics_axes,
    _value_twice,
    _sign,
    _scale,
    _constant,
    _mode,
    _statement_dropped,
    _statement_repeated,
    _keyword_dropped,
    _padding,
    _rngs,
    _construction_order,
    _decorator_dropped,
    _layer_skipped,
    _output_order,
)
