"""The admin's dashboard says when the shared cache (Redis) failed, so staff know why pages
are slower and rate limits looser, without reading the server log."""

import datetime

from django.core.cache import cache
from django.utils import timezone
from wagtail import hooks
from wagtail.admin.ui.components import Component

from masthead.core.sharedcache import shared_cache_outage

# An ended outage stays on the dashboard this long, for whoever comes asking why it was slow.
ENDED_SHOWN_SECONDS = 3600


def _clock(epoch_seconds: float) -> str:
    moment = datetime.datetime.fromtimestamp(epoch_seconds, tz=datetime.UTC)
    return timezone.localtime(moment).strftime("%H:%M")


class SharedCachePanel(Component):
    template_name = "core/shared_cache_panel.html"
    order = 10  # above Wagtail's own panels

    def __init__(self, outage):
        self.outage = outage

    def get_context_data(self, parent_context):
        outage = self.outage
        return {
            "ongoing": outage.ended is None,
            "started": _clock(outage.started),
            "last_failure": _clock(outage.last_failure),
            "ended": _clock(outage.ended) if outage.ended else "",
            "error": outage.error,
        }


@hooks.register("construct_homepage_panels")
def shared_cache_panel(request, panels):
    # A probe, so the panel tells the present: it fails (and records) a Redis that is down
    # now, or ends an outage whose Redis is back. Skipped while the breaker is open.
    cache.get("masthead:shared-cache-probe")
    outage = shared_cache_outage()
    if outage is None:
        return
    if outage.ended is not None and timezone.now().timestamp() - outage.ended > ENDED_SHOWN_SECONDS:
        return
    panels.insert(0, SharedCachePanel(outage))
