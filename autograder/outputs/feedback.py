"""Feedback for students that never shows hidden tests.

nbgrader's feedback prints every test cell as the autograder ran it, hidden
tests included (nbgrader issues #917 and #1363). `RedactTests` replaces each
autograded test cell's code and output with its result sentence: "passed", or
what failed, in the words of the test's own assertion message. The grade
cell's name and points stay in nbgrader's feedback layout.

`RedactTests` is an nbgrader preprocessor, so the course configuration also
adds it to `nbgrader generate_feedback` (see autograder/nbgrader_config.py).
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

from nbconvert.exporters import HTMLExporter, TemplateExporter
from nbconvert.filters.highlight import Highlight2HTML
from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter
from nbformat import NotebookNode
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from nbgrader import utils
from nbgrader.preprocessors import NbGraderPreprocessor
from pygments.formatters import HtmlFormatter
from traitlets import Integer
from traitlets.config import Config

from .pages import render

# Error names the autograder itself puts on cells it had to stop.
KERNEL_DIED = "KernelDied"
WALL_CLOCK = "SubmissionTimeLimit"
TIMEOUT_ENAMES = {"CellTimeoutError", "TimeoutError"}
HIDDEN_NOTICE = "# This test cell's code is hidden. Its result is printed below."
SENTENCE_LIMIT = 300
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def _first_line(text: str) -> str:
    for line in ANSI.sub("", text or "").splitlines():
        if line.strip():
            return line.strip()
    return ""


def _clip(text: str) -> str:
    return text if len(text) <= SENTENCE_LIMIT else text[: SENTENCE_LIMIT - 1] + "…"


def outcome_of(cell: NotebookNode, cell_timeout: float | None = None) -> str:
    """One sentence a student can act on: how an autograded test cell did.

    Only the exception's name and the first line of its message are used:
    tracebacks quote the test's source, and numpy's messages go on to print
    the expected arrays.
    """
    outputs = cell.get("outputs", [])
    if any(o.output_type == "error" and o.ename in TIMEOUT_ENAMES for o in outputs):
        # the interrupt shows up as a KeyboardInterrupt first; the timeout is the news
        limit = f"the {cell_timeout:g} s limit" if cell_timeout else "its time limit"
        return _clip(
            f"timed out: the test was still running after {limit} "
            "(an infinite loop, or very slow code?)"
        )
    for output in outputs:
        if output.output_type == "error":
            ename, message = output.ename, _first_line(output.evalue)
            if ename in (KERNEL_DIED, WALL_CLOCK):
                return _clip(f"not run: {message}")
            if ename == "AssertionError":
                return _clip(f"failed: {message or 'an assertion failed (no message)'}")
            if ename == "KeyboardInterrupt":
                return _clip("interrupted: the test was stopped before it finished")
            return _clip(
                f"failed: {ename}: {message}" if message else f"failed: {ename}"
            )
        if output.output_type == "stream" and output.name == "stderr":
            return _clip(
                f"failed: the test wrote to stderr: {_first_line(output.text)}"
            )
    if utils.is_grade(cell):
        score, max_score = utils.determine_grade(cell)
        if score is not None and score < max_score:
            return f"partial credit: {score:g} of {max_score:g} points"
    return "passed"


def is_autograded_test(cell: NotebookNode) -> bool:
    return (
        cell.cell_type == "code"
        and utils.is_grade(cell)
        and not utils.is_solution(cell)
    )


class RedactTests(NbGraderPreprocessor):
    """Replace each autograded test cell's source and outputs by its result."""

    cell_timeout = Integer(
        0, help="Per-cell timeout to quote in timeout messages (0: don't quote)"
    ).tag(config=True)

    def preprocess_cell(self, cell, resources, index):
        if not is_autograded_test(cell):
            return cell, resources
        sentence = outcome_of(cell, self.cell_timeout or None)
        cell.source = HIDDEN_NOTICE
        cell.outputs = [new_output("stream", name="stdout", text=sentence + "\n")]
        cell.execution_count = None
        cell.metadata.pop("collapsed", None)
        return cell, resources


TEMPLATES = Path(__file__).resolve().parent / "templates"


class FeedbackExporter(HTMLExporter):
    """nbgrader's feedback template (lightened, `templates/autograder_feedback`).

    It skips HTMLExporter's final BeautifulSoup pass, which re-parses the whole
    page to add alt text and tab stops; it cost about as much as rendering.
    """

    def from_notebook_node(self, nb, resources=None, **kw):
        lexer = nb.metadata.get("language_info", {}).get("pygments_lexer", "ipython3")
        self.register_filter(
            "highlight_code",
            self.filters.get("highlight_code")
            or Highlight2HTML(pygments_lexer=lexer, parent=self),
        )
        resources = self._init_resources(resources)
        self.register_filter(
            "filter_data_type",
            WidgetsDataTypeFilter(
                notebook_metadata=self._nb_metadata, parent=self, resources=resources
            ),
        )
        return TemplateExporter.from_notebook_node(self, nb, resources, **kw)


_EXPORTER: FeedbackExporter | None = None
_HIGHLIGHT_CSS: list[str] = []


def feedback_exporter() -> FeedbackExporter:
    """Built once per process; `warm_up()` in the parent builds it (templates
    compiled, lexers loaded) before grading processes are forked from it."""
    global _EXPORTER
    if _EXPORTER is None:
        import nbgrader

        formgrader = Path(nbgrader.__file__).parent / "server_extensions" / "formgrader"
        config = Config()
        config.HTMLExporter.template_name = "autograder_feedback"
        config.HTMLExporter.extra_template_basedirs = [
            str(formgrader / "templates"),
            str(TEMPLATES),
        ]
        # lets our template say {% extends 'feedback/index.html.j2' %}
        config.HTMLExporter.extra_template_paths = [str(formgrader / "templates")]
        config.HTMLExporter.exclude_anchor_links = True
        _EXPORTER = FeedbackExporter(config=config)
        # what nbconvert's CSSHTMLHeaderPreprocessor inlines, minus the
        # machine's own custom.css (feedback must not depend on who grades)
        formatter = HtmlFormatter(style="default")
        _HIGHLIGHT_CSS[:] = [formatter.get_style_defs(".highlight")]
    return _EXPORTER


def render_feedback(
    nb: NotebookNode,
    *,
    student: str,
    assignment: str,
    notebook: str,
    scores: dict[str, tuple[float, float]],
    cell_timeout: float | None,
) -> str:
    """HTML feedback for one graded notebook; `scores` maps grade_id to
    (score, max_score), as the gradebook will store them."""
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if utils.is_grade(cell) and meta.get("grade_id") in scores:
            meta["score"], meta["points"] = scores[meta["grade_id"]]
        elif utils.is_grade(cell):
            meta["score"] = utils.determine_grade(cell)[0] or 0.0
        if utils.is_solution(cell) or utils.is_task(cell):
            meta["comment"] = None
    redactor = RedactTests(cell_timeout=int(cell_timeout or 0))
    nb, _ = redactor.preprocess(nb, {})
    total = sum(score for score, _ in scores.values())
    possible = sum(points for _, points in scores.values())
    resources = {
        "nbgrader": {
            "student": student,
            "assignment": assignment,
            "notebook": notebook,
            "score": total,
            "max_score": possible,
            "late_penalty": 0,
        },
    }
    exporter = feedback_exporter()
    resources["inlining"] = {"css": list(_HIGHLIGHT_CSS)}
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    return body


def render_problem_page(
    *, student: str, assignment: str, notebook: str, reason: str
) -> str:
    """Feedback for a notebook that could not be graded at all."""
    return render(
        "problem.html.j2",
        student=student,
        assignment=assignment,
        notebook=notebook,
        reason=reason,
    )


def warm_up() -> None:
    """Render a small notebook once, before worker processes fork: templates,
    the Markdown renderer and the code lexer are then ready in every worker."""
    nb = new_notebook(
        cells=[
            new_markdown_cell("# Warm-up\n\nSome *text* and $\\lambda \\|w\\|^2$."),
            new_code_cell(
                "def f(w):\n    return 2 * w\nprint(f(1))",
                outputs=[new_output("stream", name="stdout", text="2\n")],
                metadata={"nbgrader": _warm_meta("f", solution=True)},
            ),
            new_code_cell(
                "assert f(1) == 2",
                outputs=[
                    new_output("error", ename="AssertionError", evalue="", traceback=[])
                ],
                metadata={"nbgrader": _warm_meta("test_f", grade=True)},
            ),
        ],
        metadata={"language_info": {"name": "python", "pygments_lexer": "ipython3"}},
    )
    render_feedback(
        nb,
        student="warm-up",
        assignment="warm-up",
        notebook="warm-up",
        scores={"test_f": (0.0, 1.0)},
        cell_timeout=None,
    )


def _warm_meta(grade_id: str, solution: bool = False, grade: bool = False) -> dict:
    meta = {"grade_id": grade_id, "solution": solution, "grade": grade}
    meta.update({"locked": not solution, "schema_version": 3})
    if grade:
        meta["points"] = 1
    return meta
