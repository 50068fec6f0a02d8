from django.urls import path

from mentoring import team_views, views

app_name = "mentoring"
urlpatterns = [
    path("mentors/", views.mentors, name="mentors"),
    path("mentors/preferences/", views.preferences, name="preferences"),
    path("mentors/invitations/<int:pk>/withdraw/", views.invitation_withdraw, name="invitation_withdraw"),
    path("mentors/<int:pk>/notes/", views.share_notes, name="share_notes"),
    path("mentorships/<int:pk>/end/", views.mentorship_end, name="mentorship_end"),
    path("mentees/", views.mentees, name="mentees"),
    path("mentees/limit/", views.mentee_limit, name="mentee_limit"),
    path("mentees/<int:pk>/", views.mentee_detail, name="mentee"),
    path("mentees/<int:pk>/packet/", views.mentee_packet, name="mentee_packet"),
    path("mentees/<int:pk>/packet.pdf", views.mentee_packet, {"as_pdf": True}, name="mentee_packet_pdf"),
    path("mentees/<int:pk>/items/<slug:key>/", views.mentee_thread, name="mentee_thread"),
    path("mentees/<int:pk>/items/<slug:key>/review/", views.review, name="review"),
    path("mentors/items/<slug:key>/", views.my_thread, name="my_thread"),
    path("messages/<int:pk>/edit/", views.message_change, {"action": "edit"}, name="message_edit"),
    path("messages/<int:pk>/remove/", views.message_change, {"action": "remove"}, name="message_remove"),
    path("mentees/<int:pk>/skills/<slug:slug>/", views.skill_confirm, name="skill_confirm"),
    path("invitations/received/<int:pk>/", views.invitation_answer, name="invitation_answer"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path("notifications/", views.notifications, name="notifications"),
    path("teams/", team_views.teams, name="teams"),
    path("teams/<slug:slug>/", team_views.team, name="team"),
    path("teams/<slug:slug>/invite/", team_views.team_invite, name="team_invite"),
    path("teams/<slug:slug>/rename/", team_views.team_rename, name="team_rename"),
    path("teams/<slug:slug>/leave/", team_views.team_leave, name="team_leave"),
    path("teams/<slug:slug>/overview/", team_views.overview, name="team_overview"),
    path("teams/<slug:slug>/overview.csv", team_views.overview_csv, name="team_overview_csv"),
    path("teams/<slug:slug>/skills/", team_views.skills, name="team_skills"),
    path("teams/<slug:slug>/members/<int:user_id>/", team_views.member, name="team_member"),
    path("teams/<slug:slug>/members/<int:user_id>/packet/", team_views.member_packet, name="team_member_packet"),
    path(
        "teams/<slug:slug>/members/<int:user_id>/packet.pdf",
        team_views.member_packet,
        {"as_pdf": True},
        name="team_member_packet_pdf",
    ),
    path("teams/<slug:slug>/members/<int:user_id>/remove/", team_views.member_remove, name="team_member_remove"),
    path("teams/<slug:slug>/members/<int:user_id>/promote/", team_views.member_promote, name="team_member_promote"),
]
