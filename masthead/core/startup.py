"""Work an app wants done when a server process starts, before its first request.

Apps register a callable in their AppConfig.ready(); the ASGI lifespan runs them all at
startup. They must return quickly: start slow work (loading a model) on a thread.
"""

import logging

logger = logging.getLogger(__name__)

_hooks: dict[str, object] = {}


def startup_hook_register(name: str, hook) -> None:
    """Register `hook()` to run when a server process starts (once per name)."""
    _hooks[name] = hook


def startup_hooks_run() -> None:
    for name, hook in list(_hooks.items()):
        try:
            hook()
        except Exception:
            # A failed warm-up must not stop the server; the work happens on first use.
            logger.exception("Startup hook %s failed", name)
