"""The demo outlet: `demo_load` is what `masthead demo` runs for this app."""

from masthead.publishing.demo.loader import demo_load

__all__ = ["demo_load"]
