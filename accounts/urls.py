from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("onboarding/", views.onboarding, name="onboarding"),
    path("onboarding/suggest-level/", views.suggest_level, name="suggest_level"),
    path("profile/", views.profile, name="profile"),
    path("profile/sharing/", views.sharing, name="sharing"),
    path("profile/plan/", views.plan, name="plan"),
    path("profile/calendar/", views.calendar, name="calendar"),
    path("delete/", views.delete_account, name="delete"),
    path("tokens/", views.api_tokens, name="tokens"),
    path("tokens/<str:token_key>/revoke/", views.api_token_revoke, name="token_revoke"),
]
