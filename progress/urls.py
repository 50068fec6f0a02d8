from django.urls import path

from progress import views

app_name = "progress"
urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/packet/", views.my_packet, name="packet"),
    path("dashboard/packet.pdf", views.my_packet, {"as_pdf": True}, name="packet_pdf"),
    path("practice/", views.practice_session, name="practice"),
    path("progress/items/<slug:key>/", views.item_detail, name="item"),
    path("progress/items/<slug:key>/clear/", views.item_clear, name="item_clear"),
    path("progress/skills/<slug:slug>/", views.skill_rate, name="skill_rate"),
    path("progress/readiness/fresh/", views.readiness_fresh, name="readiness_fresh"),
    path("progress/kpis/<slug:slug>/", views.kpi_detail, name="kpi"),
    path("progress/measurements/<int:pk>/edit/", views.measurement_edit, name="measurement_edit"),
    path("progress/measurements/<int:pk>/delete/", views.measurement_delete, name="measurement_delete"),
    path("u/<str:slug>/", views.public_profile, name="public"),
    path("digest/unsubscribe/<str:token>/", views.digest_unsubscribe, name="digest_unsubscribe"),
    path("export/my-data.json", views.export_json, name="export_json"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
    path("export/my-progress.csv", views.export_csv, name="export_csv"),
]
