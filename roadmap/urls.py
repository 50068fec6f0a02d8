from django.urls import path

from roadmap import views

app_name = "roadmap"
urlpatterns = [
    path("", views.ladder, name="ladder"),
    path("levels/<slug:slug>/", views.level_detail, name="level"),
    path("roadmap/", views.roadmap, name="roadmap"),
    path("roadmap/<slug:slug>/", views.stage_detail, name="stage"),
    path("projects/", views.projects, name="projects"),
    path("certifications/", views.certifications, name="certifications"),
    path("specializations/", views.specializations, name="specializations"),
    path("role/", views.role, name="role"),
    path("sources/", views.sources, name="sources"),
]
