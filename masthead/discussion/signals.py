"""Events the discussion app sends; other apps listen in their own receivers.py."""

from django.dispatch import Signal

# Sent after the transaction that made a comment visible commits. Provides args: comment
comment_published = Signal()

# Sent after a comment was stored but held for review. Provides args: comment, verdict
comment_held = Signal()

# Sent after anything readers see of a thread changed (new, edited, deleted comment, votes).
# Provides args: thread
thread_changed = Signal()
