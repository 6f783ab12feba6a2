"""Reading and rewriting Python AST nodes: dotted names, keyword arguments, calls under another name.

Each rewrite returns a changed copy and leaves its argument as it was.
"""

from __future__ import annotations

import ast
import copy


def dotted(node: ast.AST) -> str:
    """`jax.random.normal` for an Attribute chain or Name; "" otherwise."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        inner = dotted(node.value)
        return f"{inner}.{node.attr}" if inner else ""
    return ""


def last_name(node: ast.AST) -> str:
    """`normal` for `jax.random.normal`."""
    return dotted(node).rsplit(".", 1)[-1]


def parse_expr(text: str) -> ast.expr:
    """The expression node of a line of Python, e.g. "nnx.initializers.glorot_normal()"."""
    return ast.parse(text, mode="eval").body


def with_attr(node: ast.AST, attr: str) -> ast.AST:
    """An Attribute node naming another attribute of the same object."""
    changed = copy.deepcopy(node)
    changed.attr = attr
    return changed


def renamed_call(call: ast.Call, name: str) -> ast.Call:
    """The call with its function replaced by a dotted name, e.g. "jax.nn.gelu"."""
    changed = copy.deepcopy(call)
    changed.func = parse_expr(name)
    return changed


def keyword_named(call: ast.Call, name: str) -> ast.keyword | None:
    """The call's keyword argument `name`, or None."""
    return next((k for k in call.keywords if k.arg == name), None)


def with_keyword(call: ast.Call, name: str, value: ast.expr | None) -> ast.Call:
    """The call with keyword `name` set to value (None: left out)."""
    changed = copy.deepcopy(call)
    changed.keywords = [k for k in changed.keywords if k.arg != name]
    if value is not None:
        changed.keywords.append(ast.keyword(arg=name, value=value))
    return changed


def is_nnx_layer(call: ast.AST, *names: str) -> bool:
    """True for a call of one of the named nnx layers, e.g. is_nnx_layer(node, "Linear", "Conv")."""
    return isinstance(call, ast.Call) and dotted(call.func).startswith("nnx.") and last_name(call.func) in names
