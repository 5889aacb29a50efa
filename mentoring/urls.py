from django.urls import path

from mentoring import views

app_name = "mentoring"

urlpatterns = [
    path("", views.index, name="index"),
    path("programmes/<slug:slug>/", views.programme_detail, name="programme_detail"),
    path("programmes/<slug:slug>/enrol/<slug:role>/", views.enrol, name="enrol"),
    path("programmes/<slug:slug>/shortlist/", views.shortlist, name="shortlist"),
    path("programmes/<slug:slug>/request/", views.request_mentor, name="request_mentor"),
    path("pairs/<int:pk>/", views.mentorship_detail, name="mentorship_detail"),
    path("pairs/<int:pk>/do/<slug:action>/", views.mentorship_action, name="mentorship_action"),
    path("pairs/<int:pk>/meetings/<int:meeting_pk>/invite.ics", views.meeting_invite, name="meeting_invite"),
    path("link/<str:token>/", views.email_link, name="email_link"),
    path("coordinate/", views.dashboard, name="dashboard"),
    path("coordinate/export.csv", views.export_csv, name="export_csv"),
    path("coordinate/<slug:slug>/", views.coordinate_programme, name="coordinate_programme"),
    path("coordinate/<slug:slug>/mentees/<int:enrolment_pk>/", views.manual_suggestions, name="manual_suggestions"),
    path("coordinate/<slug:slug>/do/<slug:action>/", views.coordinate_action, name="coordinate_action"),
]
