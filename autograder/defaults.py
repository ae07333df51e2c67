"""Every default of the autograder, defined once.

The CLI's help text, the sandbox's limits and the grading pipeline read their
defaults from here, so a number in `--help` is the number that is used.
"""

from __future__ import annotations

COURSE_ID = "l2-course"

# Time
CELL_TIMEOUT_SECONDS = 30  # nbgrader's Execute.timeout, when the course config has none
WALL_CLOCK_FACTOR = 10  # a whole submission may take this many cell timeouts
GRACE_SECONDS = 15.0  # a worker's time to wrap up past its limit before it is killed
KERNEL_START_SECONDS = 60  # a kernel that has not answered by then is dead

# Per-kernel resource limits (setrlimit, tmpfs sizes)
MEMORY_MB = 2048  # address space; numpy + matplotlib need about 1 GiB
CPU_SECONDS = 600  # at least; a run's wall clock plus 30 s when that is longer
PROCESSES = 64  # tasks, threads included
FILE_BYTES = 32 * 1024**2
OPEN_FILES = 256
SCRATCH_BYTES = 128 * 1024**2  # the private copy of the folder, and /tmp
# The connection folder holds only the kernel's sockets and its log: a small
# tmpfs, so a kernel cannot fill the host's disk through it.
CONNECTION_BYTES = 8 * 1024**2
KERNEL_LOG_CHARS = 64_000  # the end of a kernel's own stdout/stderr that is kept

# Outputs: characters kept per cell (every output type counts, and each output
# is stored once, in the autograded notebook; feedback is rendered from it).
MAX_OUTPUT_CHARS = 200_000

# The data-only channel between the trusted kernel and the student's kernel.
CHANNEL_MAX_BYTES = 16 * 1024**2  # one message, as JSON text
CHANNEL_MAX_DEPTH = 16  # nesting of lists, tuples and dicts
CHANNEL_MAX_ITEMS = 100_000  # items of one list, tuple or dict, and in total
CHANNEL_MAX_MESSAGE_CHARS = 1_000  # an exception's message from student code
