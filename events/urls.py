from django.urls import path

from events import views

app_name = "events"

urlpatterns = [
    path("my/", views.my_registrations, name="my_registrations"),
    path("my/calendar/reset/", views.reset_feed, name="reset_feed"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
    path("sessions/<int:pk>/register/", views.register, name="register"),
    path("sessions/<int:pk>/calendar.ics", views.session_ics, name="session_ics"),
    path("registrations/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("registrations/<int:pk>/confirm/", views.confirm, name="confirm"),
    path("registrations/<int:pk>/letter/", views.letter, name="letter"),
    path("registrations/<int:pk>/certificate/", views.certificate, name="certificate"),
    path("registrations/<int:pk>/certificate.pdf", views.certificate_pdf, name="certificate_pdf"),
    path("verify/<str:code>/", views.verify_certificate, name="verify_certificate"),
    path("manage/", views.manage_index, name="manage_index"),
    path("manage/sessions/<int:pk>/", views.manage_session, name="manage_session"),
    path("manage/sessions/<int:pk>/attendance/", views.attendance, name="attendance"),
    path("manage/sessions/<int:pk>/message/", views.message, name="message"),
    path("manage/registrations/<int:pk>/decide/", views.decide, name="decide"),
    path("manage/reports/", views.reports, name="reports"),
    path("manage/reports.csv", views.reports_csv, name="reports_csv"),
]
