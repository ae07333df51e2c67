# Not a solution cell: a cell the student adds after a wrong l2_penalty,
# with nbgrader metadata that claims it is a test cell worth 10 points. If it
# ran where the tests run, it would make every later check pass.
import numpy
import numpy.testing

numpy.isclose = lambda *args, **kwargs: True
numpy.allclose = lambda *args, **kwargs: True
numpy.testing.assert_allclose = lambda *args, **kwargs: None
l2_penalty = lambda w, lam: 2.5  # noqa: E731
