"""The history export format: building the document and checking an uploaded one before anything is written."""

from __future__ import annotations

import json
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from playground.store.errors import StoreRefusal
from playground.store.figures import figures_to_data
from playground.store.import_schema import DraftRow, HistoryFile, SubmissionRow, first_problem
from playground.store.records import MAX_CODE_CHARS, SubmissionRecord, iso, now

T = TypeVar("T", bound=BaseModel)

EXPORT_FORMAT = "flax-nnx-playground-history"
EXPORT_VERSION = 1
MAX_IMPORT_BYTES = 5 * 1024 * 1024

_AGAIN = "export it from the playground again and import that file"


def export_document(drafts: list[tuple[str, str, str]], records: list[SubmissionRecord]) -> str:
    """The export JSON for (problem_id, code, updated_at) drafts and submission records, oldest first."""
    document = {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": now(),
        "drafts": [{"problem_id": p, "code": c, "updated_at": u} for p, c, u in drafts],
        "submissions": [_export_submission(r) for r in records],
    }
    return json.dumps(document, ensure_ascii=False, indent=1)


def _export_submission(record: SubmissionRecord) -> dict[str, Any]:
    item = {
        "problem_id": record.problem_id,
        "created_at": record.created_at,
        "mode": record.mode,
        "status": record.status,
        "passed": record.passed,
        "total": record.total,
        "elapsed_ms": record.elapsed_ms,
        "code": record.code,
        "verdict": record.verdict,
    }
    if record.figures:
        # An extra key: version-1 readers that do not know it simply skip it.
        item["figures"] = figures_to_data(record.figures)
    return item


def parse_import(text: object) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The drafts and submissions of an export document, every row checked; StoreRefusal naming the first bad one."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise StoreRefusal(f"The import file is not UTF-8 text; {_AGAIN}.") from exc
    if not isinstance(text, str):
        raise StoreRefusal("The import must be the text of an exported history file; this is a bug in the page.")
    if len(text) > MAX_IMPORT_BYTES or len(text.encode("utf-8")) > MAX_IMPORT_BYTES:
        raise StoreRefusal(
            f"The import file is larger than the {MAX_IMPORT_BYTES // (1024 * 1024)} MB limit;"
            " import a smaller export instead."
        )
    try:
        document = json.loads(text)
    except (ValueError, RecursionError) as exc:
        where = f" (line {exc.lineno}, column {exc.colno})" if isinstance(exc, json.JSONDecodeError) else ""
        raise StoreRefusal(f"The import file is not valid JSON{where}; {_AGAIN}.") from exc
    if not isinstance(document, dict) or document.get("format") != EXPORT_FORMAT:
        raise StoreRefusal(f"The import file is not a playground history export; {_AGAIN}.")
    if document.get("version") != EXPORT_VERSION:
        raise StoreRefusal(
            f"The import file has history format version {_short(document.get('version'))}, but this playground"
            f" reads version {EXPORT_VERSION}; {_AGAIN}."
        )
    if not isinstance(document.get("drafts"), list) or not isinstance(document.get("submissions"), list):
        raise StoreRefusal(f"The import file has no drafts or submissions list; {_AGAIN}.")
    try:
        HistoryFile.model_validate(document)
    except ValidationError as exc:
        (key, *_), message = first_problem(exc)
        raise StoreRefusal(f'The import file\'s "{key}" list {message}; remove rows from it.') from exc
    drafts = [_row(DraftRow, "Draft", i, d) for i, d in enumerate(document["drafts"], 1)]
    subs = [_row(SubmissionRow, "Submission", i, s) for i, s in enumerate(document["submissions"], 1)]
    return [_draft(d) for d in drafts], [_submission(s) for s in subs]


def _row(model: type[T], kind: str, index: int, item: object) -> T:
    where = f"{kind} {index} in the import file"
    if not isinstance(item, dict):
        raise StoreRefusal(f"{where} is not an object; {_AGAIN}.")
    try:
        return model.model_validate(item)
    except ValidationError as exc:
        location, message = first_problem(exc)
        field = ".".join(str(part) for part in location) or "row"
        if location[:1] == ("code",) and "at most" in message:
            message = f"is over the {MAX_CODE_CHARS:,}-character limit"
        raise StoreRefusal(
            f'{where} has a missing or malformed "{field}" ({message}); fix or remove it, or {_AGAIN}.'
        ) from exc


def _draft(row: DraftRow) -> dict[str, Any]:
    return {"problem_id": row.problem_id, "code": row.code, "updated_at": iso(row.updated_at)}


def _submission(row: SubmissionRow) -> dict[str, Any]:
    verdict = row.verdict.model_dump(mode="json", exclude_unset=True)
    # The row's own fields are what the history shows: the verdict says the same.
    verdict.update(mode=row.mode.value, status=row.status.value, passed=row.passed, total=row.total)
    return {
        "problem_id": row.problem_id,
        "mode": row.mode.value,
        "status": row.status.value,
        "passed": row.passed,
        "total": row.total,
        "code": row.code,
        "verdict": verdict,
        "elapsed_ms": float(row.elapsed_ms),
        "created_at": iso(row.created_at),
        "figures": row.figures,
    }


def _short(value: object) -> str:
    text = json.dumps(value)
    return text if len(text) <= 20 else text[:20] + "…"
