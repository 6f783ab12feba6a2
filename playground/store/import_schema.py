"""The history file's schema (pydantic): what an import may hold, typed and capped, and what a stored row must be."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictBool, ValidationError, model_validator

from playground.judge.verdict import Mode, Status
from playground.store.records import MAX_CODE_CHARS

EARLIEST = datetime(2020, 1, 1, tzinfo=UTC)
MAX_TEXT_CHARS = 2_000
MAX_STDOUT_CHARS = 70_000
MAX_TESTS = 200
MAX_COUNT = 10_000
MAX_VALUES = 20_000  # numbers in one verdict's inputs, expected and got values together
MAX_DRAFTS = 200
MAX_SUBMISSIONS = 5_000


def _no_nul(text: str) -> str:
    if "\x00" in text:
        raise ValueError("contains a NUL character, which cannot be saved")
    return text


def _finite(value: float | None) -> float | None:
    if value is not None and not math.isfinite(value):
        raise ValueError("must be a finite number")
    return value


def _numbers(value: Any) -> Any:
    budget = [MAX_VALUES]

    def walk(item: Any, depth: int) -> None:
        if depth > 6:
            raise ValueError("nests lists too deeply")
        if isinstance(item, list):
            for inner in item:
                walk(inner, depth + 1)
            return
        if item is not None and (isinstance(item, bool) or not isinstance(item, (int, float))):
            raise ValueError("must hold numbers only")
        budget[0] -= 1
        if budget[0] < 0:
            raise ValueError(f"holds more than {MAX_VALUES:,} numbers")

    walk(value, 0)
    return value


def _clamped(moment: datetime) -> datetime:
    now = datetime.now(UTC)
    return min(max(moment.astimezone(UTC), EARLIEST), now)


Text = Annotated[str, Field(max_length=MAX_TEXT_CHARS), AfterValidator(_no_nul)]
Name = Annotated[str, Field(min_length=1, max_length=100), AfterValidator(_no_nul)]
ProblemId = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,63}$")]
Code = Annotated[str, Field(max_length=MAX_CODE_CHARS), AfterValidator(_no_nul)]
Count = Annotated[int, Field(ge=0, le=MAX_COUNT, strict=True)]
Millis = Annotated[float, Field(ge=0, le=1e8), AfterValidator(_finite)]
Numbers = Annotated[Any, AfterValidator(_numbers)]
Moment = Annotated[datetime, AfterValidator(lambda m: _aware(m)), AfterValidator(_clamped)]
RecordedStatus = Annotated[Status, AfterValidator(lambda s: _recordable(s))]


def _aware(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("must be an ISO-8601 time with a zone")
    return moment


def _recordable(status: Status) -> Status:
    if status is Status.INTERNAL_ERROR:
        raise ValueError("internal_error is never recorded as a submission")
    return status


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore")


class TestRow(_Model):
    """One test of a verdict."""

    name: Name
    hidden: StrictBool = False
    passed: StrictBool = False
    message: Text = ""
    max_abs_error: Annotated[float | None, AfterValidator(_finite)] = None
    input: dict[Name, Numbers] | None = None
    expected: Numbers = None
    got: Numbers = None


class VerdictModel(_Model):
    """A recorded verdict: the judge contract's fields, each typed and capped."""

    version: Annotated[int, Field(ge=1, le=100)] = 1
    problem: str | None = Field(default=None, max_length=100)
    file: str | None = Field(default=None, max_length=200)
    mode: Mode | None = None
    status: RecordedStatus | None = None
    message: Text = ""
    hint: Text | None = None
    passed: Count = 0
    total: Count = 0
    tests: list[TestRow] = Field(default_factory=list, max_length=MAX_TESTS)
    stdout: Annotated[str, Field(max_length=MAX_STDOUT_CHARS)] = ""
    warnings: list[Text] = Field(default_factory=list, max_length=50)
    elapsed_ms: Millis = 0.0
    dropped: Text | None = None
    note: Text | None = None

    @model_validator(mode="after")
    def _few_numbers(self) -> VerdictModel:
        _numbers([[t.input and list(t.input.values()), t.expected, t.got] for t in self.tests])
        return self


class SubmissionRow(_Model):
    """One submission of a history file."""

    problem_id: ProblemId
    created_at: Moment
    mode: Mode
    status: RecordedStatus
    passed: Count
    total: Count
    elapsed_ms: Millis
    code: Code
    verdict: VerdictModel
    figures: list[dict[str, Any]] = Field(default_factory=list, max_length=MAX_TESTS)

    @model_validator(mode="after")
    def _consistent(self) -> SubmissionRow:
        if self.passed > self.total:
            raise ValueError("passed is larger than total")
        return self


class DraftRow(_Model):
    """One draft of a history file."""

    problem_id: ProblemId
    code: Code
    updated_at: Moment


class HistoryFile(_Model):
    """A whole export document, version 1."""

    format: Literal["flax-nnx-playground-history"]
    version: Literal[1]
    drafts: list[Any] = Field(max_length=MAX_DRAFTS)
    submissions: list[Any] = Field(max_length=MAX_SUBMISSIONS)


def first_problem(exc: ValidationError) -> tuple[tuple[Any, ...], str]:
    """Where the first error is (pydantic's location) and what it says, in a sentence's words."""
    error = exc.errors(include_url=False, include_input=False)[0]
    message = str(error.get("msg", "is not valid"))
    return tuple(error.get("loc", ())), message.removeprefix("Value error, ")


def stored_verdict(verdict: object) -> dict[str, Any] | None:
    """A verdict read back from the database as the page may show it, or None when it is not one."""
    try:
        return VerdictModel.model_validate(verdict).model_dump(mode="json", exclude_unset=True)
    except ValidationError:
        return None


def readable(record: Any) -> bool:
    """True when a stored submission's fields are what the page expects (so showing it cannot fail)."""
    try:
        Mode(record.mode)
        Status(record.status)
        moment = datetime.fromisoformat(record.created_at)
    except (ValueError, TypeError):
        return False
    counts = (record.passed, record.total)
    if not all(isinstance(n, int) and not isinstance(n, bool) and 0 <= n <= MAX_COUNT for n in counts):
        return False
    if not isinstance(record.elapsed_ms, (int, float)) or not math.isfinite(record.elapsed_ms):
        return False
    if not isinstance(record.code, str) or moment.tzinfo is None or not EARLIEST <= moment <= datetime.now(UTC) + timedelta(days=1):
        return False
    return stored_verdict(record.verdict) is not None
