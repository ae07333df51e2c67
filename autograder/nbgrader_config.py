"""nbgrader configuration for the course.

nbgrader reads this file when it runs in this folder (``cd autograder``), and
``python -m autograder`` loads it for every course directory it manages (it
writes a course-level ``nbgrader_config.py`` that loads this one and then
points nbgrader at that course directory and its own ``source/`` copy).

Run from here, paths are absolute, worked out from where this file lives:

- the course directory (gradebook, release/, submitted/, autograded/,
  feedback/) is ``course/`` at the repository root, ignored by git;
- the source assignments are the folders under ``exercises/``, one per
  assignment, each holding ``<name>.ipynb``.
"""

from pathlib import Path

from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import GetGrades

from autograder.defaults import CELL_TIMEOUT_SECONDS, COURSE_ID
from autograder.outputs.feedback import RedactTests

REPO = Path(__file__).resolve().parent.parent

c = get_config()  # noqa: F821 - provided by traitlets when it loads this file

c.CourseDirectory.course_id = COURSE_ID  # the same id as the hub's exchange config
COURSE = REPO / "course"
# nbgrader changes into the course directory before anything else, so it must
# exist even before the first assignment is released.
COURSE.mkdir(exist_ok=True)
c.CourseDirectory.root = str(COURSE)
c.CourseDirectory.source_directory = str(REPO / "exercises")

# A test that runs longer than this is interrupted and scores 0; the rest of
# the notebook still runs. `python -m autograder grade --timeout` overrides it.
c.Execute.timeout = CELL_TIMEOUT_SECONDS

# A student who deletes a test cell gets it back, from the gradebook's copy,
# instead of silently keeping its points.
c.OverwriteCells.add_missing_cells = True

# nbgrader's own feedback prints hidden tests (nbgrader #917, #1363); this
# preprocessor replaces each test cell by its result sentence.
c.GenerateFeedback.preprocessors = [
    GetGrades,
    CSSHTMLHeaderPreprocessor,
    RedactTests,
]
