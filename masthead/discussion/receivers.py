"""Keep cached article pages true to their discussion."""

from django.db.models import Subquery
from django.db.models.signals import post_save
from django.dispatch import receiver

from masthead.core.pagecache import cache_tags_invalidate, tagged_value
from masthead.discussion.models import DiscussionSettings, Thread
from masthead.discussion.signals import thread_changed


@receiver(thread_changed)
def article_page_changed(sender, thread: Thread, **kwargs):
    # The thread's cached API pages; the article's cached page and parts, and the "in other
    # languages" line of each of its translations (which counts this thread's comments).
    if not thread.pk:
        return
    if thread.key:
        # A thread's key and page never change once it exists.
        key, page_id = thread.key, thread.page_id
    else:  # sent with its id alone
        found = Thread.objects.filter(pk=thread.pk).values_list("key", "page_id").first()
        if found is None:
            return
        key, page_id = found
    translation_key = _translations_key(page_id) if page_id else None
    tags = [f"page:{page_id}"] if page_id else []
    if translation_key:
        tags.append(f"translations:{translation_key}")
    if key != str(page_id):
        # A page's thread is keyed by the page's id, and its API pages also carry "page:<key>"
        # (discussion.api): one write fewer on every comment.
        tags.append(f"thread:{key}")
    cache_tags_invalidate(*tags)


def _translations_key(page_id: int) -> str | None:
    """The translation key `page_id` shares with another live page, or None.

    Only the live translations of an article show its comment count ("in other languages",
    discussion_tags); most articles have none, and then a comment has no other page to
    refresh. Which pages are live changes only with a publication, a move or a deletion,
    each of which invalidates "site": known in each process until then, not read per comment.
    """
    from wagtail.models import Page

    def read() -> str | None:
        key = Page.objects.filter(pk=page_id).values("translation_key")
        return (
            Page.objects.filter(translation_key=Subquery(key), live=True)
            .exclude(pk=page_id)
            .values_list("translation_key", flat=True)
            .first()
        )

    return tagged_value(f"page-translations:{page_id}", tags=["site"], compute=read)


@receiver(post_save, sender=Thread)
def thread_saved(sender, instance: Thread, created: bool, **kwargs):
    # Closing or reopening in the admin changes what the article page shows.
    if not created:
        article_page_changed(sender, thread=instance)


@receiver(post_save, sender=DiscussionSettings)
def discussion_settings_saved(sender, **kwargs):
    # "site": any article may have opened or closed.
    cache_tags_invalidate("discussion-settings", "site")
