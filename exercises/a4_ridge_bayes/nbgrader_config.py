# Handed out with the notebook, so that `nbgrader validate` run in this folder
# finds a configuration (no "No nbgrader_config.py file found" warning) and
# talks to its kernel over local sockets (no "Kernel is running over TCP
# without encryption" warning). The course's own settings are elsewhere.
c = get_config()  # noqa: F821
c.KernelManager.transport = "ipc"
