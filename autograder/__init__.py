"""The instructor's grading pipeline around nbgrader: `python -m autograder`.

- `release`: student version of an assignment, checked and zipped;
- `grade`: collect submissions, autograde in parallel, feedback without hidden
  tests, grades.csv and report.html;
- `report`: rebuild grades.csv and report.html from the gradebook.
"""
