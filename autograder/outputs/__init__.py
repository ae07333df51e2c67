"""Outputs: what a graded class leaves behind, for instructors and students.

Entry points: `GradebookWriter` (the one writer of nbgrader's gradebook, in
the main process), `write_csv` / `write_html` (grades.csv and report.html),
and `feedback.render_feedback` (a student's page: their own cells and the
trusted verdicts, never a test's source). Pages are jinja2 templates in
`templates/`.
"""

from .gradebook import GradebookWriter, read_rows
from .report import write_csv, write_html

__all__ = ["GradebookWriter", "read_rows", "write_csv", "write_html"]
