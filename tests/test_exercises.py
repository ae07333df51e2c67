"""The exercises, checked through nbgrader.

For every assignment:

1. the source notebook follows the contract and nbgrader validates it (every
   test passes on the solutions);
2. the student version that nbgrader generates holds no solution code and no
   hidden test, and its stubs fail every test;
3. every wrong implementation in tests/exercise_variants/ loses points on its
   function's test cell when autograded, and the hidden tests alone catch it,
   with a message that names a property and prints no array;
4. every correct alternative there gets full marks.

Autograding is batched: tests/exercise_grading.py grades one assignment per
process (a few students each, see ``plan_students``), the four assignments
side by side, once per session. Under pytest-xdist a file lock makes the
workers share that one run.
"""

from __future__ import annotations

import ast
import fcntl
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest
from exercise_grading import (
    ASSIGNMENTS,
    CONFIG,
    CONTRACT,
    EXERCISES,
    ROOT,
    Variant,
    load_build_notebooks,
    load_variants,
)

from l2course.checks import PropertyFailed

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("exercises")]

GRADER = Path(__file__).resolve().parent / "exercise_grading.py"
VARIANTS = [v for a in ASSIGNMENTS for v in load_variants(a)]
WRONG = [v for v in VARIANTS if v.kind == "wrong"]
RIGHT = [v for v in VARIANTS if v.kind == "right"]
# What np.testing prints when it fails: none of it may reach a student.
ARRAY_DUMP = re.compile(
    r"Not equal to tolerance|Mismatched elements|Max absolute "
    r"difference|ACTUAL:|DESIRED:|\barray\("
)


def source_notebook(assignment: str) -> nbformat.NotebookNode:
    return nbformat.read(EXERCISES / assignment / f"{assignment}.ipynb", as_version=4)


def nbgrader_cells(notebook: nbformat.NotebookNode) -> dict[str, nbformat.NotebookNode]:
    return {
        cell.metadata.nbgrader.grade_id: cell
        for cell in notebook.cells
        if "grade_id" in cell.metadata.get("nbgrader", {})
    }


def between(source: str, begin: str, end: str) -> str:
    """The text between two nbgrader markers (exclusive)."""
    start = source.index(begin) + len(begin)
    return source[start : source.index(end, start)]


# --- the session's nbgrader run -----------------------------------------------


def _grade_one(assignment: str, workdir: Path, env: dict[str, str]) -> dict:
    course = workdir / assignment
    course.mkdir()
    job = workdir / f"{assignment}.job.json"
    job.write_text(json.dumps({"assignment": assignment, "course": str(course)}))
    result = workdir / f"{assignment}.result.json"
    started = time.perf_counter()
    run = subprocess.run(
        [sys.executable, str(GRADER), str(job), str(result)],
        capture_output=True,
        text=True,
        env=env,
        cwd=workdir,
    )
    if run.returncode != 0:
        raise RuntimeError(
            f"grading {assignment} failed:\n{run.stdout[-3000:]}\n{run.stderr[:8000]}"
        )
    outcome = json.loads(result.read_text())
    outcome["seconds"] = round(time.perf_counter() - started, 1)
    return outcome


def _grade_all(workdir: Path) -> dict[str, dict]:
    # nbgrader runs `alembic` from PATH: put this interpreter's scripts first.
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    workers = max(1, min(len(ASSIGNMENTS), os.cpu_count() or 1))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {a: pool.submit(_grade_one, a, workdir, env) for a in ASSIGNMENTS}
        return {a: future.result() for a, future in futures.items()}


@pytest.fixture(scope="session")
def graded(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    """Every assignment validated, generated and autograded by nbgrader, once."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # the folder every worker of this run shares
    results = base / "exercises-graded.json"
    with open(base / "exercises-graded.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # the first worker grades, the rest wait
        if not results.exists():
            workdir = Path(tempfile.mkdtemp(prefix="exercises-", dir=base))
            started = time.perf_counter()
            outcome = _grade_all(workdir)
            outcome["_seconds"] = round(time.perf_counter() - started, 1)
            results.write_text(json.dumps(outcome))
    return json.loads(results.read_text())


def student_with(graded: dict, variant: Variant) -> dict:
    students = graded[variant.assignment]["students"]
    for student in students.values():
        if student["variants"].get(variant.function) == variant.id:
            return student
    raise AssertionError(f"{variant.id} was not handed in by any student")


# --- 1. the source notebooks ---------------------------------------------------


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_source_has_no_outputs_and_keeps_the_contract(assignment):
    notebook = source_notebook(assignment)
    nbformat.validate(notebook)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, cell.id
    cells = nbgrader_cells(notebook)
    solutions = {g for g, c in cells.items() if c.metadata.nbgrader.solution}
    assert solutions == set(CONTRACT[assignment]), "one solution cell per function"
    for function, signature in CONTRACT[assignment].items():
        cell = cells[function]
        assert not cell.metadata.nbgrader.grade and not cell.metadata.nbgrader.locked
        assert "### BEGIN SOLUTION" in cell.source and "### END SOLUTION" in cell.source
        (definition,) = ast.parse(cell.source).body
        assert definition.name == function
        for arg in definition.args.args:
            arg.annotation = None  # the contract fixes names and defaults, not hints
        assert ast.unparse(definition.args) == signature, f"{function} signature"
        assert ast.get_docstring(definition), f"{function} needs a docstring"

        test = cells[f"test_{function}"]
        nbgrader = test.metadata.nbgrader
        assert nbgrader.grade and nbgrader.locked and not nbgrader.solution
        assert nbgrader.points > 0
        first = ast.parse(test.source).body[0]
        assert isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant), (
            f"test_{function} opens with a docstring saying what it checks"
        )
        visible, rest = test.source.split("### BEGIN HIDDEN TESTS")
        assert "assert" in visible, f"test_{function} shows visible asserts first"
        assert "### END HIDDEN TESTS" in rest
    graded_ids = {g for g, c in cells.items() if c.metadata.nbgrader.grade}
    assert graded_ids == {f"test_{f}" for f in CONTRACT[assignment]}


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_source_names_and_links_chapters_of_the_published_book(assignment):
    build_notebooks = load_build_notebooks()
    notebook = source_notebook(assignment)
    text = "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    assert "book/" not in re.sub(r"\]\([^)]*\)", "", text), "no chapter named by path"
    links = re.findall(r"\[\*(?P<title>[^*]+)\*\]\((?P<url>[^)]+)\)", text)
    assert links, "the notebook names the chapters it practises"
    for title, url in links:
        page = re.fullmatch(
            re.escape(build_notebooks.book_url()) + r"book/([\w-]+)\.html", url
        )
        assert page, f"{url} is not a page of the published book"
        assert (ROOT / "book" / f"{page[1]}.md").exists(), url
        assert title == build_notebooks.chapter_title(page[1])


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_source_ends_with_a_self_contained_plot_of_the_students_work(assignment):
    last = source_notebook(assignment).cells[-1]
    assert last.cell_type == "code" and last.metadata.nbgrader.locked
    tree = ast.parse(last.source)
    called = {
        node.func.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    }
    assert called & set(CONTRACT[assignment]), "the plot uses the student's functions"
    assert "plt.show" in last.source


def student_code(notebook: nbformat.NotebookNode) -> str:
    """Every code cell as the student gets it: no solutions, no hidden tests."""
    parts = []
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        source = cell.source
        if "### BEGIN HIDDEN TESTS" in source:
            source = source.split("### BEGIN HIDDEN TESTS")[0]
        if "### BEGIN SOLUTION" in source:
            source = source.split("### BEGIN SOLUTION")[0]
        parts.append(source)
    return "\n".join(parts)


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_what_students_get_imports_only_numpy_and_matplotlib(assignment):
    tree = ast.parse(student_code(source_notebook(assignment)))
    modules = {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    modules |= {
        node.module.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
    }
    # The standard library is everywhere too.
    assert modules <= {"numpy", "matplotlib", "math", "inspect"}, modules


def visible_part(cell: nbformat.NotebookNode) -> str:
    return cell.source.split("### BEGIN HIDDEN TESTS")[0]


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_visible_failures_show_what_the_function_returned(assignment):
    """Each visible assert's message is an f-string showing a computed value."""
    for function in CONTRACT[assignment]:
        cell = nbgrader_cells(source_notebook(assignment))[f"test_{function}"]
        asserts = [
            node
            for node in ast.walk(ast.parse(visible_part(cell)))
            if isinstance(node, ast.Assert)
        ]
        assert asserts, f"test_{function} has visible asserts"
        for node in asserts:
            message = node.msg
            shown = message is not None and any(
                isinstance(part, ast.FormattedValue) for part in ast.walk(message)
            )
            assert shown, (
                f"test_{function}: `{ast.unparse(node)[:70]}` should say "
                "what the function returned"
            )


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_each_no_modification_contract_has_a_visible_check(assignment):
    cells = nbgrader_cells(source_notebook(assignment))
    for function in CONTRACT[assignment]:
        docstring = ast.get_docstring(ast.parse(cells[function].source).body[0])
        if re.search(r"not modified|no argument is modified", docstring):
            visible = visible_part(cells[f"test_{function}"])
            assert "array_equal" in visible and ".copy()" in visible, (
                f"test_{function}: {function}'s docstring promises not to modify "
                "its inputs; the visible tests should check that"
            )


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_docstrings_state_the_contract_not_the_formula(assignment):
    """A docstring says shapes, types and conventions; arithmetic is the exercise."""
    cells = nbgrader_cells(source_notebook(assignment))
    for function in CONTRACT[assignment]:
        docstring = ast.get_docstring(ast.parse(cells[function].source).body[0])
        arithmetic = re.findall(r"\S*[*/^+]\S*", docstring)
        assert not arithmetic, f"{function}'s docstring gives a formula: {arithmetic}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_hidden_tests_are_seeded_and_tolerances_explicit(assignment):
    for grade_id, cell in nbgrader_cells(source_notebook(assignment)).items():
        if not grade_id.startswith("test_"):
            continue
        tree = ast.parse(cell.source)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = ast.unparse(node.func)
            if name.endswith("default_rng"):
                assert node.args and isinstance(node.args[0], ast.Constant), (
                    f"{grade_id}: every generator has a fixed seed"
                )
            assert not name.startswith("np.random.") or name.endswith("default_rng"), (
                f"{grade_id}: no global random state ({name})"
            )
            if name == "np.testing.assert_allclose":
                keywords = {k.arg for k in node.keywords}
                assert "rtol" in keywords, (
                    f"{grade_id}: explicit rtol in {ast.unparse(node)}"
                )
            if name in ("expect", "expect_raises"):
                # A failure names the function and the property, in words.
                message = ast.unparse(node.args[-1])
                assert grade_id.removeprefix("test_") in message, message


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_each_test_cell_calls_only_its_own_function(assignment):
    """This is what lets one simulated student carry a variant of every function."""
    for function in CONTRACT[assignment]:
        cell = nbgrader_cells(source_notebook(assignment))[f"test_{function}"]
        names = {
            node.id
            for node in ast.walk(ast.parse(cell.source))
            if isinstance(node, ast.Name)
        }
        assert names & set(CONTRACT[assignment]) == {function}


def test_notebooks_are_generated_from_their_sources():
    build_notebooks = load_build_notebooks()
    for assignment in ASSIGNMENTS:
        for path, text in build_notebooks.generated(assignment).items():
            assert path.read_text(encoding="utf-8") == text, (
                f"{path} is out of date: run make exercises"
            )


def test_every_assignment_found_in_exercises_has_a_contract():
    assert ASSIGNMENTS, "no exercises/a<number>_<topic>.py found"
    assert set(ASSIGNMENTS) == set(CONTRACT)
    for assignment in ASSIGNMENTS:
        assert (EXERCISES / assignment / f"{assignment}.ipynb").exists(), assignment


def test_nbgrader_config_finds_exactly_the_discovered_assignments():
    from nbgrader.apps import NbGraderAPI
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader(CONFIG.name, path=str(CONFIG.parent)).load_config()
    assert Path(config.CourseDirectory.source_directory) == EXERCISES
    assert Path(config.CourseDirectory.root) == ROOT / "course"
    assert "course/" in (ROOT / ".gitignore").read_text().split()
    api = NbGraderAPI(config=config)
    assert api.get_source_assignments() == set(ASSIGNMENTS)


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_source_passes_nbgrader_validation(graded, assignment):
    # validate_all: the plot cell must run without an error too.
    assert graded[assignment]["source_validation"] == {}


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_reference_solutions_score_full_marks(graded, assignment):
    reference = graded[assignment]["students"]["reference"]
    points = sum(
        c.metadata.nbgrader.points
        for c in nbgrader_cells(source_notebook(assignment)).values()
        if c.metadata.nbgrader.grade
    )
    assert reference["max_score"] == points
    assert reference["score"] == points, reference["errors"]


# --- 2. the student version ----------------------------------------------------


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_student_version_has_no_solutions_and_no_hidden_tests(graded, assignment):
    release = nbformat.read(graded[assignment]["release"], as_version=4)
    text = json.dumps(release)
    for marker in (
        "BEGIN SOLUTION",
        "END SOLUTION",
        "BEGIN HIDDEN TESTS",
        "END HIDDEN TESTS",
    ):
        assert marker not in text
    released = nbgrader_cells(release)
    # A line that the source shows students anyway (a visible test may repeat a
    # hidden one's `before = w.copy()`) is not a leak.
    public = {
        line.strip() for line in student_code(source_notebook(assignment)).splitlines()
    }
    released_lines = {
        line.strip() for cell in release.cells for line in cell.source.splitlines()
    } - public
    for grade_id, cell in nbgrader_cells(source_notebook(assignment)).items():
        nbgrader = cell.metadata.nbgrader
        if nbgrader.solution:
            secret = between(cell.source, "### BEGIN SOLUTION", "### END SOLUTION")
            assert "raise NotImplementedError()" in released[grade_id].source
        elif nbgrader.grade:
            secret = between(
                cell.source, "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
            )
            visible = cell.source.split("### BEGIN HIDDEN TESTS")[0].strip()
            assert released[grade_id].source.strip() == visible
            assert released[grade_id].metadata.nbgrader.points == nbgrader.points
        else:
            continue
        leaked = [
            line
            for line in (s.strip() for s in secret.splitlines())
            if len(line) > 12 and line in released_lines
        ]
        assert not leaked, f"{grade_id}: hidden lines in the student version: {leaked}"
    for cell in release.cells:
        assert cell.get("outputs", []) == []


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_student_version_stubs_fail_every_test(graded, assignment):
    # nbgrader validate --invert: no test cell may pass on the stubs.
    assert graded[assignment]["release_validation"] == {}
    stub = graded[assignment]["students"]["stub"]
    assert stub["score"] == 0
    for grade_id, error in stub["errors"].items():
        assert error and error["ename"] == "NotImplementedError", grade_id


# --- 3 and 4. wrong and correct implementations -----------------------------------


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_function_has_enough_variants(assignment):
    variants = load_variants(assignment)
    assert {v.function for v in variants} <= set(CONTRACT[assignment])
    for function in CONTRACT[assignment]:
        kinds = [v.kind for v in variants if v.function == function]
        assert kinds.count("wrong") >= 3, f"{function}: at least 3 wrong variants"
        assert kinds.count("right") >= 1, f"{function}: at least 1 correct variant"


@pytest.mark.parametrize("variant", WRONG, ids=[v.id for v in WRONG])
def test_wrong_implementation_loses_points(graded, variant):
    student = student_with(graded, variant)
    score, max_score = student["grades"][f"test_{variant.function}"]
    assert score < max_score
    assert student["score"] < student["max_score"]
    error = student["errors"][f"test_{variant.function}"]
    assert error is not None
    if error["ename"] == "PropertyFailed":
        # The sentence alone: no traceback quoting hidden code, no arrays.
        assert error["traceback_lines"] == 1
        assert variant.function in error["evalue"]
        assert not ARRAY_DUMP.search(error["evalue"])


@pytest.mark.parametrize("variant", RIGHT, ids=[v.id for v in RIGHT])
def test_correct_alternative_scores_full_marks(graded, variant):
    student = student_with(graded, variant)
    score, max_score = student["grades"][f"test_{variant.function}"]
    assert score == max_score, student["errors"][f"test_{variant.function}"]
    assert student["score"] == student["max_score"]


def setup_cells(assignment: str) -> list[nbformat.NotebookNode]:
    """The read-only code cells above the first solution cell (imports, given code)."""
    cells = []
    for cell in source_notebook(assignment).cells:
        nbgrader = cell.metadata.get("nbgrader", {})
        if nbgrader.get("solution"):
            return cells
        if cell.cell_type == "code":
            cells.append(cell)
    return cells


def run_hidden_tests(variant: Variant) -> None:
    """The set-up cells, the variant, then only the hidden part of its test cell."""
    cells = nbgrader_cells(source_notebook(variant.assignment))
    namespace: dict = {}
    for cell in setup_cells(variant.assignment):
        exec(cell.source, namespace)  # our own notebook's code, not input
    exec(variant.source, namespace)
    hidden = between(
        cells[f"test_{variant.function}"].source,
        "### BEGIN HIDDEN TESTS",
        "### END HIDDEN TESTS",
    )
    exec(hidden, namespace)


@pytest.mark.parametrize("variant", WRONG, ids=[v.id for v in WRONG])
def test_hidden_tests_alone_catch_the_mistake_and_say_which_property(variant):
    with pytest.raises(PropertyFailed) as failure:
        run_hidden_tests(variant)
    message = str(failure.value)
    assert variant.function in message, message
    assert not ARRAY_DUMP.search(message), message
    # Nothing chained that would print arrays after the sentence.
    assert failure.value.__cause__ is None
    assert failure.value.__suppress_context__ or failure.value.__context__ is None


@pytest.mark.parametrize("variant", RIGHT, ids=[v.id for v in RIGHT])
def test_hidden_tests_pass_correct_alternative(variant):
    run_hidden_tests(variant)


def test_a4_inverse_gets_advice_and_keeps_its_points(capsys):
    """np.linalg.inv in ridge_fit is numerically fine here: advice, never a loss."""
    cells = nbgrader_cells(source_notebook("a4_ridge_bayes"))
    advice = cells["advice_ridge_fit"]
    assert advice.metadata.nbgrader.locked and not advice.metadata.nbgrader.grade
    variants = {
        v.label: v for v in load_variants("a4_ridge_bayes") if v.function == "ridge_fit"
    }
    printed = {}
    for label, source in [
        ("inverse", variants["inverse"].source),
        ("reference", cells["ridge_fit"].source),
    ]:
        # Through a file, as in a notebook, so that inspect can read it back.
        with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as file:
            file.write(cells["setup"].source + "\n" + source + "\n")
        namespace: dict = {}
        exec(compile(Path(file.name).read_text(), file.name, "exec"), namespace)
        exec(advice.source, namespace)
        os.unlink(file.name)
        printed[label] = capsys.readouterr().out
    assert "Advice: your ridge_fit forms an inverse matrix" in printed["inverse"]
    assert printed["reference"] == ""
