"""The history export format: building the document and checking an uploaded one before anything is written."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from playground.store.errors import StoreError
from playground.store.figures import figures_to_data
from playground.store.records import MAX_CODE_CHARS, SubmissionRecord, is_count, is_number, is_problem_id, iso, now

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
    """The drafts and submissions of an export document, every row checked; StoreError on the first bad one."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise StoreError(f"The import file is not UTF-8 text; {_AGAIN}.") from exc
    if not isinstance(text, str):
        raise StoreError("The import must be the text of an exported history file; this is a bug in the page.")
    if len(text) > MAX_IMPORT_BYTES or len(text.encode("utf-8")) > MAX_IMPORT_BYTES:
        raise StoreError(
            f"The import file is larger than the {MAX_IMPORT_BYTES // (1024 * 1024)} MB limit;"
            " import a smaller export instead."
        )
    try:
        document = json.loads(text)
    except ValueError as exc:
        where = f" (line {exc.lineno}, column {exc.colno})" if isinstance(exc, json.JSONDecodeError) else ""
        raise StoreError(f"The import file is not valid JSON{where}; {_AGAIN}.") from exc
    if not isinstance(document, dict) or document.get("format") != EXPORT_FORMAT:
        raise StoreError(f"The import file is not a playground history export; {_AGAIN}.")
    if document.get("version") != EXPORT_VERSION:
        raise StoreError(
            f"The import file has history format version {document.get('version')!r}, but this playground reads"
            f" version {EXPORT_VERSION}; {_AGAIN}."
        )
    drafts, subs = document.get("drafts"), document.get("submissions")
    if not isinstance(drafts, list) or not isinstance(subs, list):
        raise StoreError(f"The import file has no drafts or submissions list; {_AGAIN}.")
    return [_parse_draft(i, d) for i, d in enumerate(drafts, 1)], [_parse_sub(i, s) for i, s in enumerate(subs, 1)]


def _parse_draft(index: int, item: object) -> dict[str, Any]:
    where = f"Draft {index} in the import file"
    if not isinstance(item, dict):
        raise StoreError(f"{where} is not an object; {_AGAIN}.")
    _require(where, "problem_id", is_problem_id(item.get("problem_id")))
    _require(where, "code", isinstance(item.get("code"), str))
    _require_code(where, item["code"])
    return {"problem_id": item["problem_id"], "code": item["code"], "updated_at": _parse_time(where, item, "updated_at")}


def _parse_sub(index: int, item: object) -> dict[str, Any]:
    where = f"Submission {index} in the import file"
    if not isinstance(item, dict):
        raise StoreError(f"{where} is not an object; {_AGAIN}.")
    _require(where, "problem_id", is_problem_id(item.get("problem_id")))
    for key in ("mode", "status"):
        _require(where, key, isinstance(item.get(key), str) and bool(item[key]))
    for key in ("passed", "total"):
        _require(where, key, is_count(item.get(key)))
    _require(where, "elapsed_ms", is_number(item.get("elapsed_ms")))
    _require(where, "code", isinstance(item.get("code"), str))
    _require(where, "verdict", isinstance(item.get("verdict"), dict))
    _require(where, "figures", isinstance(item.get("figures", []), list))
    _require_code(where, item["code"])
    parsed = {key: item[key] for key in ("problem_id", "mode", "status", "passed", "total", "code", "verdict")}
    parsed["elapsed_ms"] = float(item["elapsed_ms"])
    parsed["created_at"] = _parse_time(where, item, "created_at")
    parsed["figures"] = item.get("figures", [])
    return parsed


def _require(where: str, key: str, ok: bool) -> None:
    if not ok:
        raise StoreError(f'{where} has a missing or malformed "{key}"; {_AGAIN}.')


def _require_code(where: str, code: str) -> None:
    if len(code) > MAX_CODE_CHARS:
        raise StoreError(f"{where} has code over the {MAX_CODE_CHARS:,}-character limit; remove it from the file.")
    if "\x00" in code:
        raise StoreError(f"{where} has code with a NUL character, which cannot be saved; remove it from the file.")


def _parse_time(where: str, item: dict, key: str) -> str:
    value = item.get(key)
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise StoreError(
            f'{where} has a missing or malformed "{key}" (it must be an ISO-8601 time with a zone); {_AGAIN}.'
        )
    return iso(moment)
