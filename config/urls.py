from django.contrib import admin
from django.urls import include, path

from .admin_login import admin_login, has_permission

# The admin has no login form of its own: its login page sends people to allauth's, so every
# way in goes through the same rate limits and two-factor step (config/admin_login.py).
admin.site.login = admin_login  # type: ignore[method-assign]
admin.site.has_permission = has_permission  # type: ignore[method-assign]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("", include("accounts.urls")),
    path("", include("community.urls")),
    path("", include("forum.urls")),
]

# Refused or missing: the site's layout, the guidelines banner and "Need help now?" (the 404 reads
# the same whatever was asked, so a hidden thing answers exactly like a missing one).
handler400 = "community.errors.bad_request"
handler403 = "community.errors.permission_denied"
handler404 = "community.errors.page_not_found"
# Not Django's: allauth answers its rate limits with the root URLconf's handler429.
handler429 = "community.errors.too_many_requests"

# Whichever layer fails (session, member, banner, view), /help-now/ still shows the crisis
# resources and a database outage answers a kind 503 rather than a bare 500.
handler500 = "community.outage.server_error"
