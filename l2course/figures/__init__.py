"""Pure plotting functions, one module per chapter topic.

Each function draws on the axes it is given and returns them, so a unit test
can call it directly and a slider figure can wrap it.
"""

from l2course.figures.style import COLORS, apply_course_style

__all__ = ["COLORS", "apply_course_style"]
