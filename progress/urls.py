from django.urls import path

from progress import views

app_name = "progress"
urlpatterns = [
    path("u/<str:slug>/", views.public_profile, name="public"),
    path("export/my-data.json", views.export_json, name="export_json"),
    path("export/my-progress.csv", views.export_csv, name="export_csv"),
]
