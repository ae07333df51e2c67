"""Every cap intake puts on what a submission may unpack, in one place.

At merge time these move into `autograder/defaults.py`; until then this module
is their only home, and the rest of `autograder/intake/` reads them from here.
A submission that passes a cap is an error row for that student, with a reason
that names the cap; the rest of the class is graded.
"""

MIB = 1024**2

# One file once unpacked. Above the largest honest notebook we know of (a 40 MB
# embedded attachment is graded, not refused).
MAX_MEMBER_BYTES = 100 * MIB

# Everything one student's entries unpack to, inner zips included.
MAX_STUDENT_BYTES = 200 * MIB

# Everything one class archive unpacks to: what intake may write on the disk.
MAX_CLASS_BYTES = 4096 * MIB

# How many files and folders one student's entries may hold, inner zips
# included (each is an inode on the grader's disk).
MAX_STUDENT_MEMBERS = 5000

# Unpacked size / compressed size of one member. Deflate can reach about 1030:1
# on zeros; honest notebooks of that size (outputs, images) stay far below 200:1.
MAX_COMPRESSION_RATIO = 200

# The ratio is only judged past this many unpacked bytes: a small file of
# repeated lines compresses very well and is harmless.
RATIO_CHECKED_FROM_BYTES = 8 * MIB

# The list of members (names, comments, extra fields) of a zip inside a
# student's entry, read into memory before anything is unpacked. Thousands of
# honest members take well under a megabyte.
MAX_DIRECTORY_BYTES = 8 * MIB

# Zips inside a student's entry are unpacked this many levels deep (a zip that
# contains itself stops here).
MAX_INNER_ZIP_DEPTH = 3

# Unpacking reads and writes this much at a time, so memory stays at a few
# chunks whatever a member's header claims.
CHUNK_BYTES = 64 * 1024

# Used where the filesystem does not say (os.pathconf).
FALLBACK_NAME_MAX = 255
FALLBACK_PATH_MAX = 4096
