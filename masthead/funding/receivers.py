"""Funding's reactions to its own events: fresh pages after a gift."""
