"""The `masthead` command: Django's management commands with Masthead's settings preset.

`masthead serve`, `masthead demo`, `masthead migrate`, `masthead createsuperuser` ... are all
management commands; this entry point only spares operators the manage.py boilerplate.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Run a management command, as `manage.py` would, with Masthead's settings."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masthead.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["masthead", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
