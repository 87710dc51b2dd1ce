#!/usr/bin/env python
"""Django's command-line utility for MR-navet.

`site` is a frozen standard-library module, so the site/ folder is put on sys.path and its
packages (mrnavet, accounts) are imported by their own names.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent


def main() -> None:
    sys.path.insert(0, str(ROOT / "site"))
    sys.path.insert(1, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mrnavet.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
