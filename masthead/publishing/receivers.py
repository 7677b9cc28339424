"""Keep cached pages true to what editors publish."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from masthead.core.pagecache import cache_tags_invalidate
from masthead.publishing.models import OutletSettings


@receiver(page_published)
@receiver(page_unpublished)
@receiver(page_slug_changed)
@receiver(post_page_move)
def site_changed_by_publishing(sender, instance, **kwargs):
    # Any publication can change the front page, a section list, feeds and related articles;
    # a move or a new slug also changes which page an address leads to (publishing.routing).
    cache_tags_invalidate("site")


@receiver(post_delete, sender=Page)
def site_changed_by_deletion(sender, **kwargs):
    # Every page's row in wagtailcore_page goes, whatever its type.
    cache_tags_invalidate("site")


@receiver(post_save, sender=Site)
@receiver(post_delete, sender=Site)
@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def site_changed_by_structure(sender, **kwargs):
    # Which site answers a host, and which pages are private (publishing.routing).
    cache_tags_invalidate("site")


@receiver(post_save, sender=OutletSettings)
@receiver(post_delete, sender=OutletSettings)
def site_changed_by_settings(sender, **kwargs):
    cache_tags_invalidate("site")
