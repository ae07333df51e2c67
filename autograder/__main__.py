"""Entry point: `python -m autograder release|grade|report` (see --help)."""

import sys

# jsonschema (through nbformat) imports rfc3987_syntax when it is installed and
# compiles ~40 grammars on import: over a second of CPU for a format ("iri")
# that no notebook schema uses. Without it, jsonschema skips that one format.
sys.modules.setdefault("rfc3987_syntax", None)

from autograder.cli import main  # noqa: E402

sys.exit(main())
