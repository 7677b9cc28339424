"""Keep cached article pages true to their discussion."""

from django.core.cache import cache
from django.db.models.signals import post_save
from django.dispatch import receiver

from masthead.core.pagecache import cache_tags_invalidate
from masthead.discussion.models import DiscussionSettings, Thread
from masthead.discussion.signals import thread_changed


@receiver(thread_changed)
def article_page_changed(sender, thread: Thread, **kwargs):
    page_id = thread.page_id
    if page_id is None and thread.pk:
        page_id = Thread.objects.filter(pk=thread.pk).values_list("page_id", flat=True).first()
    if page_id:
        cache_tags_invalidate(f"page:{page_id}")


@receiver(post_save, sender=Thread)
def thread_saved(sender, instance: Thread, created: bool, **kwargs):
    # Closing or reopening in the admin changes what the article page shows.
    if not created:
        article_page_changed(sender, thread=instance)


@receiver(post_save, sender=DiscussionSettings)
def discussion_settings_saved(sender, **kwargs):
    from masthead.discussion.services import CLOSE_AFTER_DAYS_CACHE_KEY

    cache.delete(CLOSE_AFTER_DAYS_CACHE_KEY)
    cache_tags_invalidate("site")  # any article may have opened or closed
