"""A module's state as the judge and the page use it: typed, read from the checked JSON description."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from playground.sandbox.state_description import checked_state


@dataclass(frozen=True)
class StateVariable:
    """One Variable of a module: its path, type name, shape, dtype, element count and summary."""

    path: str
    type: str
    shape: tuple[int, ...] | None
    dtype: str | None
    size: int | None
    min: float | None = None
    max: float | None = None
    mean: float | None = None

    @property
    def shape_text(self) -> str:
        """The shape as Python writes a tuple, e.g. "(3, 4)", or "no shape"."""
        if self.shape is None:
            return "no shape"
        return f"({self.shape[0]},)" if len(self.shape) == 1 else f"({', '.join(map(str, self.shape))})"


@dataclass(frozen=True)
class ModelState:
    """The state of the module an answer is about; `module` None means the code built none."""

    module: str | None
    variables: tuple[StateVariable, ...] = ()
    modules: int = 0
    total: int = 0
    truncated: bool = False
    unreadable: bool = False
    traced: bool = False  # built inside a transform (nnx.vmap, nnx.jit): shapes of one call, no values

    def by_path(self) -> dict[str, StateVariable]:
        """The variables keyed by their path."""
        return {v.path: v for v in self.variables}

    @property
    def built(self) -> bool:
        """True when the code built a module (even one whose state could not be read)."""
        return self.module is not None or self.unreadable

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON, the same shape the worker sends."""
        data = asdict(self)
        data["variables"] = [dict(asdict(v), shape=list(v.shape) if v.shape is not None else None) for v in self.variables]
        return data

    @classmethod
    def from_dict(cls, data: Any) -> ModelState | None:
        """Read a description (from a worker, the reference or a stored verdict); None if unusable."""
        checked = checked_state(data)
        if checked is None:
            return None
        variables = tuple(
            StateVariable(
                path=v["path"],
                type=v["type"],
                shape=tuple(v["shape"]) if v["shape"] is not None else None,
                dtype=v["dtype"],
                size=v["size"],
                min=v["min"],
                max=v["max"],
                mean=v["mean"],
            )
            for v in checked["variables"]
        )
        return cls(
            module=checked["module"],
            variables=variables,
            modules=checked["modules"],
            total=checked["total"],
            truncated=checked["truncated"],
            unreadable=checked["unreadable"],
            traced=checked["traced"],
        )
