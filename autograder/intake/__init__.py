"""Intake: from a folder or an LMS zip to one `Submission` per student.

Trust rule: a submission's owner comes from the LMS's own structure only (the
outer zip's entry names, or the folder a student submitted into), never from a
name that a student wrote inside their files or inner zips. Zips are unpacked
as data only, within the caps of `limits.py`; an entry that breaks a rule is an
error row for its owner and the run goes on.

Accepted layouts (see the README's "Grading a class"):

- a folder `<student_id>/<notebook>.ipynb` or
  `<student_id>/<assignment>/<notebook>.ipynb`, possibly wrapped in one more folder;
- a zip of either;
- the zip an LMS exports, read with nbgrader zip_collect's file-name conventions
  (`LmsFileNameCollector`): Canvas, Moodle (flat or one folder per student) and
  the Blackboard-style names of nbgrader's own documentation. Zips inside a
  student's entry are unpacked too, and stay that student's.

Modules, in the order a submission meets them: `find` (the entry point),
`entries` (the input's top level and whose each entry is), `lms` (LMS naming),
`ids` (id comparison, folder-safe ids), `extract` (unpacking as data),
`assemble` (one owner's files -> a `Submission`), `submission` (that type and
its copy into the course), `limits` (every cap).
"""

from .find import find_submissions
from .lms import LmsFileNameCollector, LmsName, parse_lms_name
from .submission import Submission, collect_into_course

__all__ = [
    "LmsFileNameCollector",
    "LmsName",
    "Submission",
    "collect_into_course",
    "find_submissions",
    "parse_lms_name",
]
