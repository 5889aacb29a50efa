from django.urls import path

from network.views import profiles

app_name = "network"

# Each domain keeps its routes in its own block; add new ones inside the right block.
urlpatterns = [
    # --- profiles ---
    path("me/", profiles.my_profile, name="my_profile"),
    path("me/edit/", profiles.edit_profile, name="edit_profile"),
    path("<uuid:public_id>/", profiles.member_profile, name="member_profile"),
    path("<uuid:public_id>/photo/", profiles.member_photo, name="member_photo"),
    # --- applications ---
    # --- directory and messages ---
    # --- community of practice ---
    # --- privacy ---
    # --- campaigns and advocacy ---
]
