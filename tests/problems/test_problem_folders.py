"""A problem folder's rules: its name is the id, problem.toml is read strictly, shared helpers stay shared."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from playground.problems import PROBLEMS_DIR, SOLUTIONS_DIR, all_problems, get_problem
from playground.problems.case_values import case_builder, wave
from playground.problems.common import MAX_SEED, import_hints
from playground.problems.declared import FACTS_FILE, ProblemFolderError, is_declared, load_problem

ROOT = Path(__file__).resolve().parents[2]
FOLDERS = sorted(p for p in PROBLEMS_DIR.iterdir() if is_declared(p))


def test_every_declared_folder_is_a_problem() -> None:
    assert len(FOLDERS) == len(all_problems()) >= 12
    assert not [p.name for p in PROBLEMS_DIR.iterdir() if (p / "cases.py").is_file() and not is_declared(p)]


@pytest.mark.parametrize("folder", FOLDERS, ids=[f.name for f in FOLDERS])
def test_the_folder_name_is_the_id_and_the_entry_point(folder: Path) -> None:
    problem = get_problem(folder.name)
    assert problem.id == folder.name == problem.entry_point
    assert (SOLUTIONS_DIR / f"{folder.name}.py").is_file()
    defined = {n.name for n in ast.walk(ast.parse(problem.starter)) if isinstance(n, ast.FunctionDef)}
    assert problem.entry_point in defined


def _declare(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "some_problem"
    folder.mkdir()
    (folder / FACTS_FILE).write_text(text)
    return folder


def test_a_folder_cannot_declare_another_id(tmp_path: Path) -> None:
    folder = _declare(tmp_path, 'id = "module_basics_forward"\ntitle = "Copy"\n')
    with pytest.raises(ProblemFolderError, match=r"unknown key\(s\) id; the id and the entry point are the folder's name"):
        load_problem(folder, "nowhere")


def test_a_misspelt_key_is_named(tmp_path: Path) -> None:
    folder = _declare(tmp_path, 'title = "T"\nhint = ["one"]\n')
    with pytest.raises(ProblemFolderError, match="unknown key.*hint"):
        load_problem(folder, "nowhere")


def test_an_unknown_argument_kind_is_refused(tmp_path: Path) -> None:
    folder = _declare(tmp_path, 'title = "T"\n[arguments]\nseed = "int"\n')
    with pytest.raises(ProblemFolderError, match="seed = 'int'"):
        load_problem(folder, "nowhere")


def test_shared_error_hints_expand_in_place() -> None:
    problem = get_problem("module_basics_forward")
    imports = import_hints()
    at = problem.error_hints.index(imports[0])
    assert problem.error_hints[at : at + len(imports)] == imports
    cast = [h for h in problem.error_hints if h.pitfall == "Forgetting `int()`"]
    assert len(cast) == 3 and all("seed and features" in h.hint for h in cast)


def test_an_error_hint_without_words_says_the_cast_hint() -> None:
    problem = get_problem("causal_attention")
    first = problem.error_hints[0]
    assert first.pattern.startswith("Shapes must be") and first.hint.startswith("The harness passes seed and head_dim")


def test_a_seed_field_takes_every_seed() -> None:
    parse = get_problem("dropout_modes").parse_custom_input
    inputs, problem = parse({"seed": str(MAX_SEED), "x": "1, 2", "rate": "0.5"})
    assert problem is None and inputs == {"seed": float(MAX_SEED), "x": [1.0, 2.0], "rate": 0.5}
    assert "Seed must be a whole number from 0 to 2147483647" in parse({"seed": "-1", "x": "1", "rate": "0"})[1]


def test_a_problem_check_runs_after_the_fields() -> None:
    parse = get_problem("training_step").parse_custom_input
    texts = {"seed": "0", "learning_rate": "0.1", "steps": "1", "x": "1, 2; 3, 4", "y": "1"}
    assert parse(texts)[1].startswith("x has 2 rows but y has 1 values")
    assert parse(texts | {"y": "1, 2"})[1] is None


def test_case_builder_passes_numbers_as_floats_and_lists_as_float32() -> None:
    case = case_builder("seed x rate", float32="rate")
    built = case("one", 3, [0.1, 2], 0.1, hidden=True)
    assert built.hidden and built.inputs["seed"] == 3.0 and isinstance(built.inputs["seed"], float)
    assert built.inputs["x"] == [float.fromhex("0x1.99999ap-4"), 2.0]
    assert built.inputs["rate"] == float.fromhex("0x1.99999ap-4")
    assert case_builder("momentum")("two", 0.9, hidden=False).inputs["momentum"] == 0.9  # not rounded
    with pytest.raises(TypeError, match="2 values for the 3 columns"):
        case("short", 1, [1.0], hidden=False)


def test_wave_is_deterministic_float32() -> None:
    values = wave(5, 2.0, 0.3)
    assert values == wave(5, 2.0, 0.3) and len(set(values)) == 5
    assert all(float.fromhex(v.hex()) == v for v in values)


def _playground_imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("playground"):
            found.append(node.module)
        elif isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.startswith("playground")]
    return found


def test_warm_ups_import_only_the_warming_helpers() -> None:
    # The zygote loads warm-ups by path so that no problem's tests enter a worker's memory.
    reached = {str(p.relative_to(ROOT)): _playground_imports(p) for p in sorted(PROBLEMS_DIR.glob("*/warmup.py"))}
    reached["playground/warming/__init__.py"] = _playground_imports(ROOT / "playground" / "warming" / "__init__.py")
    assert {path: mods for path, mods in reached.items() if set(mods) - {"playground.warming"}} == {}
