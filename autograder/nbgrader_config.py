"""nbgrader configuration for the course.

nbgrader reads this file when it runs in this folder (``cd autograder``) or
when a tool loads it explicitly. Paths are absolute, worked out from where
this file lives, so they do not depend on the working directory:

- the course directory (gradebook, release/, submitted/, autograded/,
  feedback/) is ``course/`` at the repository root, ignored by git;
- the source assignments are the folders under ``exercises/``, one per
  assignment, each holding ``<name>.ipynb``.
"""

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

c = get_config()  # noqa: F821 - provided by traitlets when it loads this file

c.CourseDirectory.course_id = "l2course"
COURSE = REPO / "course"
# nbgrader changes into the course directory before anything else, so it must
# exist even before the first assignment is released.
COURSE.mkdir(exist_ok=True)
c.CourseDirectory.root = str(COURSE)
c.CourseDirectory.source_directory = str(REPO / "exercises")

# A cell of the exercises runs in well under a second; a minute means a
# student's loop never ends, and the cell is failed rather than the whole run.
c.Execute.timeout = 60
