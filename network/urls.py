from django.urls import path

from network import views

app_name = "network"

urlpatterns = [
    path("me/", views.my_profile, name="my_profile"),
    path("me/edit/", views.edit_profile, name="edit_profile"),
    path("<uuid:public_id>/", views.member_profile, name="member_profile"),
    path("<uuid:public_id>/photo/", views.member_photo, name="member_photo"),
]
