"""nbgrader configuration for running the course on a shared JupyterHub.

Install it where every user's nbgrader reads it, students' and instructors':

    sudo cp autograder/jupyterhub/nbgrader_config.py /etc/jupyter/nbgrader_config.py

It names the course and the exchange, the folder through which nbgrader's
release, fetch, submit and collect pass files between accounts. The README
("Running a class on JupyterHub") gives the set-up and the commands; the values
here are the ones it documents, and tests/test_jupyterhub.py checks both.
"""

c = get_config()  # noqa: F821 (nbgrader provides get_config when it loads this)

# Students fetch and submit under this name; it must match on every account.
c.CourseDirectory.course_id = "l2-course"

# Shared by every account on the hub, created once by the hub's administrator:
#   sudo mkdir -p /srv/nbgrader/exchange && sudo chmod 0777 /srv/nbgrader/exchange
c.Exchange.root = "/srv/nbgrader/exchange"
