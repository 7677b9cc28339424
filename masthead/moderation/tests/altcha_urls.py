"""Routes for the ALTCHA tests: the challenge where the site will serve it, a verify endpoint
standing in for the comment pipeline, and a bare page that loads the solver script after the
JavaScript catalog, as the site's pages do (the solver's errors are translated)."""

from django.http import HttpResponse, JsonResponse
from django.templatetags.static import static
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from masthead.core.views import javascript_catalog
from masthead.moderation.altcha import altcha_challenge_view, altcha_verify


@csrf_exempt
@require_POST
def verify(request):
    ok, reason = altcha_verify(request.body.decode())
    return JsonResponse({"ok": ok, "reason": reason})


def solver_page(request):
    return HttpResponse(
        f"<!doctype html><html><head><title>ALTCHA</title></head><body><p>Solver</p>"
        f'<script src="/jsi18n/en.js"></script>'
        f'<script src="{static("moderation/altcha.js")}"></script></body></html>'
    )


urlpatterns = [
    path("moderation/altcha/challenge", altcha_challenge_view, name="altcha_challenge"),
    path("test/altcha/verify", verify),
    path("test/altcha/", solver_page),
    path("jsi18n/<str:language>.js", javascript_catalog, name="jsi18n"),
]
