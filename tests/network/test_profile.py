import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from network.choices import MemberCategory, Visibility
from network.models import Member, Mission

pytestmark = pytest.mark.django_db


def png_bytes(size=(40, 40)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "navy").save(buffer, "PNG")
    return buffer.getvalue()


def profile_post(**overrides) -> dict:
    data = {
        "first_name": "Amina",
        "last_name": "Diallo",
        "country": "SN",
        "police_service": "Police nationale",
        "rank": "Commissaire",
        "bio": "Investigator.",
        "missions-TOTAL_FORMS": "1",
        "missions-INITIAL_FORMS": "0",
        "missions-MIN_NUM_FORMS": "0",
        "missions-MAX_NUM_FORMS": "30",
        "missions-0-mission": str(Mission.objects.get(acronym="MINUSCA").pk),
        "missions-0-start_year": "2019",
        "missions-0-end_year": "",
    }
    for field in Member.VISIBLE_FIELDS:
        data[f"visibility_{field}"] = Visibility.PRIVATE
    data.update(overrides)
    return data


def test_anonymous_visitor_is_sent_to_login_for_own_profile(client, site):
    response = client.get(reverse("network:my_profile"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_member_saves_profile_and_sees_it(client, member_of, site):
    member = member_of(MemberCategory.ACTIVE)
    client.force_login(member.user)
    response = client.post(reverse("network:edit_profile"), profile_post(), follow=True)
    assert "Your profile has been saved." in response.content.decode()
    member.refresh_from_db()
    assert member.rank == "Commissaire"
    assert member.user.first_name == "Amina"
    assert [str(service.mission) for service in member.missions.all()] == ["MINUSCA"]
    assert "Commissaire" in response.content.decode()


def test_profile_is_private_by_default(client, member_of, site):
    owner = member_of(MemberCategory.ACTIVE, rank="Inspector")
    client.force_login(member_of(MemberCategory.ACTIVE).user)
    response = client.get(reverse("network:member_profile", args=[owner.public_id]))
    assert response.status_code == 404
    assert "Inspector" not in response.content.decode()


def test_observer_sees_only_fields_shared_with_all_members(client, member_of, site):
    owner = member_of(
        MemberCategory.ACTIVE,
        rank="Inspector",
        bio="Twenty years of service.",
        visibility={"rank": Visibility.NETWORK, "bio": Visibility.MEMBERS},
    )
    client.force_login(member_of(MemberCategory.OBSERVER).user)
    page = client.get(reverse("network:member_profile", args=[owner.public_id])).content.decode()
    assert "Twenty years of service." in page
    assert "Inspector" not in page

    client.force_login(member_of(MemberCategory.CIVILIAN).user)
    page = client.get(reverse("network:member_profile", args=[owner.public_id])).content.decode()
    assert "Inspector" in page


def test_email_address_never_appears_on_a_shared_profile(client, member_of, site):
    owner = member_of(MemberCategory.ACTIVE, visibility={field: Visibility.NETWORK for field in Member.VISIBLE_FIELDS})
    client.force_login(member_of(MemberCategory.ACTIVE).user)
    page = client.get(reverse("network:member_profile", args=[owner.public_id])).content.decode()
    assert owner.user.email not in page


def test_wrong_years_are_refused_and_typed_values_kept(client, member_of, site):
    member = member_of(MemberCategory.ACTIVE)
    client.force_login(member.user)
    response = client.post(
        reverse("network:edit_profile"),
        profile_post(**{"missions-0-start_year": "2020", "missions-0-end_year": "2018", "rank": "Major"}),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "The end year cannot be before the start year." in page
    assert 'value="Major"' in page
    member.refresh_from_db()
    assert member.rank == ""


def test_non_image_photo_is_refused_with_message(client, member_of, site):
    member = member_of(MemberCategory.ACTIVE)
    client.force_login(member.user)
    fake = SimpleUploadedFile("me.jpg", b"not really an image", content_type="image/jpeg")
    response = client.post(reverse("network:edit_profile"), {**profile_post(rank="Major"), "photo": fake})
    page = response.content.decode()
    assert "Upload a valid image" in page
    assert 'value="Major"' in page
    member.refresh_from_db()
    assert not member.photo


def test_oversize_photo_is_refused_with_message(client, member_of, site):
    member = member_of(MemberCategory.ACTIVE)
    client.force_login(member.user)
    big = SimpleUploadedFile("big.png", png_bytes((2600, 2600)) + b"\0" * (3 * 1024 * 1024), content_type="image/png")
    response = client.post(reverse("network:edit_profile"), {**profile_post(), "photo": big})
    assert "larger than 3 MB" in response.content.decode()


def test_photo_is_served_only_to_those_it_is_shared_with(client, member_of, site, settings, tmp_path, monkeypatch):
    monkeypatch.setattr(Member._meta.get_field("photo").storage, "location", str(tmp_path))
    owner = member_of(MemberCategory.ACTIVE)
    client.force_login(owner.user)
    photo = SimpleUploadedFile("me.png", png_bytes(), content_type="image/png")
    client.post(
        reverse("network:edit_profile"),
        {**profile_post(visibility_photo=Visibility.NETWORK), "photo": photo},
    )
    owner.refresh_from_db()
    assert owner.photo
    url = reverse("network:member_photo", args=[owner.public_id])

    client.force_login(member_of(MemberCategory.CIVILIAN).user)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert "no-store" in response["Cache-Control"]

    client.force_login(member_of(MemberCategory.OBSERVER).user)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302
    # The file is not under MEDIA_ROOT, so no public media URL can reach it.
    assert not str(owner.photo.path).startswith(str(settings.MEDIA_ROOT))


def test_admitted_member_is_told_her_profile_is_hidden_and_shares_it_in_one_step(client, member_of):
    member = member_of(MemberCategory.ACTIVE, country="KE", rank="Inspector")
    colleague = member_of(MemberCategory.CIVILIAN)
    client.force_login(member.user)
    assert "Your profile is hidden" in client.get("/en/members/membership/").content.decode()

    client.post("/en/members/membership/", {"action": "share_profile"})

    member.refresh_from_db()
    assert all(member.visibility_of(field) == Visibility.NETWORK for field in Member.VISIBLE_FIELDS)
    assert "Your profile is hidden" not in client.get("/en/members/membership/").content.decode()
    client.force_login(colleague.user)
    assert "Inspector" in client.get(f"/en/members/{member.public_id}/").content.decode()


def test_sharing_the_whole_profile_keeps_fields_already_shared_with_all_members(client, member_of):
    member = member_of(MemberCategory.ACTIVE, visibility={"bio": Visibility.MEMBERS})
    client.force_login(member.user)
    client.post("/en/members/membership/", {"action": "share_profile"})
    member.refresh_from_db()
    assert member.visibility_of("bio") == Visibility.MEMBERS
    assert member.visibility_of("rank") == Visibility.NETWORK
