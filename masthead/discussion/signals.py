"""Events the discussion app sends; other apps listen in their own receivers.py."""

from django.dispatch import Signal

# Sent after the transaction that made a comment visible commits. Provides args: comment
comment_published = Signal()

# Sent after a comment was stored but held for review. Provides args: comment, verdict
comment_held = Signal()

# Sent inside the transaction that stored a comment or changed its status, before it commits:
# a receiver's rows (an outbox entry promising mail) commit or roll back with the comment. Only
# database writes belong here; anything leaving the process waits for the signals above.
# Provides args: comment, verdict (None when a moderator or a rule changed the status)
comment_stored = Signal()

# Sent after anything readers see of a thread changed (new, edited, deleted comment, votes).
# Provides args: thread, and `published`: the comment whose publication changed it, when
# comment_published was sent for it just before (its receivers already had the news).
thread_changed = Signal()

# Sent inside the request that posted a comment, right after it was stored, with what the
# reader asked for alongside it. Provides args: comment, request, subscribe ("" or "thread",
# "replies", "comment"). A receiver may return a dict {"status", "message"} describing what
# it did; the API returns it to the reader as "subscription".
comment_submitted = Signal()

# Sent while answering a reader's /me request (their personal state on a thread). Provides
# args: request, thread. A receiver may return a dict; its items reach the page's script as
# "extras" (e.g. moderation asks guests' browsers for a proof of work).
reader_state = Signal()
