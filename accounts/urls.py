from django.urls import path

from . import leaving_views, peer_verification_views, views

app_name = "accounts"
urlpatterns = [
    path("u/<str:username>/", views.profile, name="profile"),
    path("settings/profile/", views.edit_profile, name="edit_profile"),
    path("account/paused/", views.paused, name="paused"),
    path("welcome/dismiss/", views.dismiss_welcome, name="dismiss_welcome"),
    path(
        "settings/peer-specialist/",
        peer_verification_views.peer_specialist,
        name="peer_specialist",
    ),
    path("settings/export/", leaving_views.export, name="export"),
    path("settings/export/download/", leaving_views.download_export, name="download_export"),
    path("settings/delete/", leaving_views.delete_account, name="delete_account"),
    path("settings/delete/keep/", leaving_views.keep_account, name="keep_account"),
]
