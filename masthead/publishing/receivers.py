"""Keep cached pages true to what editors publish."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from masthead.core.pagecache import cache_tags_invalidate
from masthead.publishing.models import OutletSettings


@receiver(page_published)
@receiver(page_unpublished)
def site_changed_by_publishing(sender, instance, **kwargs):
    # Any publication can change the front page, a section list, feeds and related articles.
    cache_tags_invalidate("site")


@receiver(post_save, sender=OutletSettings)
@receiver(post_delete, sender=OutletSettings)
def site_changed_by_settings(sender, **kwargs):
    cache_tags_invalidate("site")
