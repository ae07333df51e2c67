"""What runs inside the student's kernel, and nothing else: `serve.py`.

The grader never imports this package. It reads `serve.py` as text and sends
it into the student's kernel, where it answers calls from the trusted
kernel. It is kept small, and uses only the standard library and numpy.
"""
