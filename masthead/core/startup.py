"""Work an app wants done when a server process starts, before its first request.

Apps register a callable in their AppConfig.ready(); the ASGI lifespan runs them all at
startup. They must return quickly: start slow work on a thread. A hook registered as
`required` (loading a model without which the app cannot work) stops the server from starting
when it fails, with its message, rather than leaving every request to fail later.

`STARTUP_CHECK_TAG` marks the Django system checks that `masthead serve` runs before it starts
any server process, so a broken install is reported once, plainly, on the console.
"""

import logging

logger = logging.getLogger(__name__)

STARTUP_CHECK_TAG = "masthead_startup"

_hooks: dict[str, tuple[object, bool]] = {}


def startup_hook_register(name: str, hook, *, required: bool = False) -> None:
    """Register `hook()` to run when a server process starts (once per name)."""
    _hooks[name] = (hook, required)


def startup_hooks_run() -> None:
    """Run every hook; re-raise the first failure of a required one."""
    for name, (hook, required) in list(_hooks.items()):
        try:
            hook()
        except Exception:
            if required:
                raise
            # A failed warm-up must not stop the server; the work happens on first use.
            logger.exception("Startup hook %s failed", name)
