"""Builders for hostile zips, made by the tests that use them (no binaries are
committed). Each returns or writes a zip with exactly the hostile property the
test names; `patch_central` lies in a member's central-directory record."""
