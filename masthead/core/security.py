"""Security headers: the Content-Security-Policy (django-csp) and the Permissions-Policy.

The site's pages get the strict policy from settings (MASTHEAD_CSP_DIRECTIVES: scripts only
from this origin or carrying the request's nonce). Wagtail's admin runs inline scripts and
styles of its own, so its paths get MASTHEAD_CSP_ADMIN_DIRECTIVES instead: still no foreign
scripts, objects or framing. MASTHEAD_CSP chooses whether either is enforced, only reported
(the browser logs what it would block) or sent at all.
"""

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings


class SecurityHeadersMiddleware(CSPMiddleware):
    """Add Content-Security-Policy (site or admin flavour) and Permissions-Policy."""

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if request.path_info.startswith(tuple(settings.MASTHEAD_CSP_ADMIN_PREFIXES)):
            name = (
                "CONTENT_SECURITY_POLICY_REPORT_ONLY" if report_only else "CONTENT_SECURITY_POLICY"
            )
            if getattr(settings, name, None):
                # A nonce would switch 'unsafe-inline' off, which the admin needs.
                return PolicyParts(config=settings.MASTHEAD_CSP_ADMIN_DIRECTIVES)
        return parts

    def process_response(self, request, response):
        response = super().process_response(request, response)
        if settings.MASTHEAD_PERMISSIONS_POLICY and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = settings.MASTHEAD_PERMISSIONS_POLICY
        return response
