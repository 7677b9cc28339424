"""The `masthead` command: Django's management commands with Masthead's settings preset.

`masthead serve`, `masthead demo`, `masthead migrate`, `masthead createsuperuser` ... are all
management commands; this entry point only spares operators the manage.py boilerplate.
"""

import argparse
import os
import sys


def served_address(arguments: list[str]) -> str:
    """The address `masthead serve ARGUMENTS` will answer at, as a browser on this machine
    reaches it (a server listening on every interface is reached on the loopback one)."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--host", default=os.environ.get("MASTHEAD_HOST", "127.0.0.1"))
    parser.add_argument("--port", default=os.environ.get("PORT", "8000"))
    known, _rest = parser.parse_known_args(arguments)
    host = known.host
    if host in ("0.0.0.0", "::", ""):  # noqa: S104 - naming the wildcard, not binding it
        host = "127.0.0.1"
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{known.port}"


def main(argv: list[str] | None = None) -> None:
    """Run a management command, as `manage.py` would, with Masthead's settings."""
    arguments = sys.argv[1:] if argv is None else argv
    production = os.environ.get("MASTHEAD_ENV", "").strip().lower() == "production"
    if arguments[:1] == ["serve"] and not os.environ.get("SITE_URL") and not production:
        # In development, links, feeds and confirmation mails point where the server runs
        # (`--port 8101` included); the worker and scheduler it starts inherit it.
        os.environ["SITE_URL"] = served_address(arguments[1:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masthead.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["masthead", *arguments])


if __name__ == "__main__":
    main()
