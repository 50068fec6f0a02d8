from django.urls import path

from mentoring import views

app_name = "mentoring"
urlpatterns = [
    path("mentors/", views.mentors, name="mentors"),
    path("mentors/preferences/", views.preferences, name="preferences"),
    path("mentors/invitations/<int:pk>/withdraw/", views.invitation_withdraw, name="invitation_withdraw"),
    path("mentors/<int:pk>/notes/", views.share_notes, name="share_notes"),
    path("mentorships/<int:pk>/end/", views.mentorship_end, name="mentorship_end"),
    path("mentees/", views.mentees, name="mentees"),
    path("mentees/<int:pk>/", views.mentee_detail, name="mentee"),
    path("mentees/<int:pk>/items/<slug:key>/review/", views.review, name="review"),
    path("invitations/received/<int:pk>/", views.invitation_answer, name="invitation_answer"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path("notifications/", views.notifications, name="notifications"),
]
