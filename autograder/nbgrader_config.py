"""nbgrader configuration for the course (read by `python -m autograder` and,
through the course folder's own nbgrader_config.py, by `nbgrader` itself)."""

from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import GetGrades

from autograder.feedback import RedactTests

c = get_config()  # noqa: F821

# A test that runs longer than this is interrupted and scores 0; the rest of
# the notebook still runs. `python -m autograder grade --timeout` overrides it.
c.Execute.timeout = 30

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
