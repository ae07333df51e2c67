"""Say which launch-menu settings in _config.yml still hold their placeholders.

The repository address and the JupyterHub address ship as placeholders
(README, "Build, test, deploy"). Left in a published book, the launch menu
sends readers to a repository and a hub that do not exist.

    python tools/check_placeholders.py           # warn (make book)
    python tools/check_placeholders.py --strict  # and fail (before deploying)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

CONFIG = Path(__file__).resolve().parent.parent / "_config.yml"

# (section, key) in _config.yml -> the placeholder it ships with.
PLACEHOLDERS = {
    ("repository", "url"): "https://github.com/your-org/l2-course",
    ("launch_buttons", "jupyterhub_url"): "https://hub.example.org",
}


def placeholders_left(config: dict) -> list[str]:
    """One sentence per setting that still holds its placeholder."""
    left = []
    for (section, key), placeholder in PLACEHOLDERS.items():
        value = str((config.get(section) or {}).get(key, ""))
        if value.rstrip("/") == placeholder:
            left.append(
                f"_config.yml {section}: {key} is still the placeholder "
                f"{placeholder}: set it to your own before publishing"
            )
    return left


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--strict", action="store_true", help="exit 1 if any is left")
    parser.add_argument("--config", type=Path, default=CONFIG)
    args = parser.parse_args(argv)
    left = placeholders_left(yaml.safe_load(args.config.read_text()))
    for sentence in left:
        print(f"warning: {sentence}", file=sys.stderr)
    if left and args.strict:
        print(
            "refusing to publish with placeholders (README, 'Build, test, deploy')",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
