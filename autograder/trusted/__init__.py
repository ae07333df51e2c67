"""The trusted side: where tests run and verdicts are decided.

Entry point: `session.TrustedKernel.test(source, relay, timeout)` runs one
test cell in a kernel that never runs student code, with the student's
names bound to proxies (`proxies.py`, loaded into that kernel), and
`session.Relay` carries the calls to the student's kernel and back over a
data-only channel (`codec.py`). `pool.TrustedPool` keeps one such kernel per
worker slot. Nothing here imports `autograder.student_kernel`: its source is
sent into the student's kernel as text.
"""
