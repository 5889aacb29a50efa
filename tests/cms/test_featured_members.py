import datetime
import re
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from wagtail.models import Locale

from campaigns.models import CampaignContributor
from cms.models import FeaturedMember
from network.choices import ConsentKind, MemberCategory, StaffRole
from network.models import ConsentRecord
from network.page_cache import CACHE_HEADER
from network.services.privacy import give_feature_consent, withdraw_feature_consent
from tests.factories.campaigns import CampaignFactory, make_staff_user
from tests.factories.staff import is_refused

pytestmark = pytest.mark.django_db


def _feature(member=None, **fields):
    fields.setdefault("name", "Amina Diallo")
    fields.setdefault("citation", "Mentored twenty officers before their first deployment.")
    return FeaturedMember.objects.create(member=member, locale=Locale.objects.get(language_code="en"), **fields)


def test_member_is_featured_only_with_her_consent_on_record(site, member_of):
    member = member_of(MemberCategory.ACTIVE)
    featured = _feature(member)
    assert not featured.has_consent
    consent = ConsentRecord.objects.create(user=member.user, kind=ConsentKind.FEATURE, version="1")
    assert featured.has_consent
    consent.withdrawn_at = timezone.now()
    consent.save()
    assert not featured.has_consent


def test_consent_to_the_terms_is_not_consent_to_be_featured(site, member_of):
    member = member_of(MemberCategory.ACTIVE)
    ConsentRecord.objects.create(user=member.user, kind=ConsentKind.TERMS, version="1")
    assert not _feature(member).has_consent


def test_non_member_needs_the_date_and_manner_of_consent(site):
    person = FeaturedMember(
        locale=Locale.objects.get(language_code="en"), name="Award winner", citation="Officer of the Year."
    )
    with pytest.raises(ValidationError) as error:
        person.full_clean()
    assert {"consent_recorded_on", "consent_note"} <= set(error.value.message_dict)
    person.consent_recorded_on = datetime.date(2023, 11, 1)
    person.consent_note = "Agreed by email to the secretariat."
    person.full_clean()
    person.save()
    assert person.has_consent


def test_home_page_shows_consenting_people_only(client, site, member_of):
    consenting = member_of(MemberCategory.ACTIVE)
    ConsentRecord.objects.create(user=consenting.user, kind=ConsentKind.FEATURE, version="1")
    _feature(consenting, name="Consenting Member")
    _feature(member_of(MemberCategory.ACTIVE), name="Silent Member")
    _feature(None, name="Unrecorded Winner")
    html = client.get("/en/").content.decode()
    assert "Consenting Member" in html
    assert "Silent Member" not in html and "Unrecorded Winner" not in html


def test_withdrawing_consent_removes_the_person_from_the_cached_home_page(client, site, member_of):
    member = member_of(MemberCategory.ACTIVE)
    consent = ConsentRecord.objects.create(user=member.user, kind=ConsentKind.FEATURE, version="1")
    _feature(member, name="Consenting Member")
    assert "Consenting Member" in client.get("/en/").content.decode()
    assert client.get("/en/")[CACHE_HEADER] == "hit"
    consent.withdrawn_at = timezone.now()
    consent.save()
    response = client.get("/en/")
    assert response[CACHE_HEADER] == "miss"
    assert "Consenting Member" not in response.content.decode()


def test_featured_people_are_shown_in_the_pages_language(client, site, member_of):
    member = member_of(MemberCategory.ACTIVE)
    ConsentRecord.objects.create(user=member.user, kind=ConsentKind.FEATURE, version="1")
    english = _feature(member, citation="Leads a unit for survivors.")
    french = english.copy_for_translation(Locale.objects.get(language_code="fr"))
    french.citation = "Dirige une unité pour les victimes."
    french.save()
    # A translation starts as a draft, like a translated page: the editor publishes it once it reads well.
    assert "Dirige une unité" not in client.get("/fr/").content.decode()
    french.save_revision().publish()
    assert "Leads a unit for survivors." in client.get("/en/").content.decode()
    french_html = client.get("/fr/").content.decode()
    assert "Dirige une unité pour les victimes." in french_html and "Leads a unit" not in french_html


# --- the editorial step: nominations are drafts until an editor publishes them -------------------------------

ADMIN = "/admin/snippets/cms/featuredmember"


@pytest.fixture
def nominated(client, site, member_of):
    """An editor nominates a campaign contributor who agreed to be featured; returns (entry, editor)."""
    member = member_of(MemberCategory.ACTIVE, user__first_name="Grace", user__last_name="Mensah")
    give_feature_consent(member.user)
    campaign = CampaignFactory(title="Women in UN policing")
    contributor = CampaignContributor.objects.create(campaign=campaign, member=member)
    editor = make_staff_user(StaffRole.EDITOR)
    client.force_login(editor)
    response = client.post(f"/en/campaigns/{campaign.slug}/contributors/{contributor.pk}/nominate/", follow=True)
    assert "an editor will review and publish it" in response.content.decode()
    client.logout()
    return FeaturedMember.objects.get(member=member), editor


def _admin_form(entry: FeaturedMember, **changes) -> dict:
    """The snippet's edit form as the editor would send it."""
    data = {
        "member": entry.member_id or "",
        "name": entry.name,
        "role": entry.role,
        "country": entry.country or "",
        "award": entry.award,
        "photo": "",
        "citation": entry.citation,
        "consent_recorded_on": "",
        "consent_note": entry.consent_note,
        "sort_order": entry.sort_order,
    }
    return {**data, **changes}


def _publish_in_admin(client, entry: FeaturedMember, **changes):
    response = client.post(f"{ADMIN}/edit/{entry.pk}/", {**_admin_form(entry, **changes), "action-publish": "1"})
    assert response.status_code == 302, response.content.decode()[:2000]
    return response


def test_nomination_is_a_draft_with_a_revision_and_not_shown(client, nominated):
    entry, _editor = nominated
    assert not entry.live
    assert entry.latest_revision is not None  # editors see it, with its history, as a draft in the admin
    assert not FeaturedMember.objects.publicly_shown().exists()
    assert entry.has_consent  # consent alone no longer puts her on the site
    assert "Grace Mensah" not in client.get("/en/").content.decode()


def test_editors_find_nominations_under_draft_in_the_admin_listing(client, nominated, member_of):
    entry, editor = nominated
    live_member = member_of(MemberCategory.ACTIVE)
    _feature(live_member, name="Already Published")
    client.force_login(editor)
    listing = client.get(f"{ADMIN}/")
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "Grace Mensah" in html and "Already Published" in html
    statuses = re.findall(r'class="w-status[^"]*">\s*(\w+)\s*<', html)
    assert sorted(statuses) == ["draft", "live"]
    drafts = client.get(f"{ADMIN}/", {"live": "false"}).content.decode()
    assert "Grace Mensah" in drafts and "Already Published" not in drafts
    published = client.get(f"{ADMIN}/", {"live": "true"}).content.decode()
    assert "Already Published" in published and "Grace Mensah" not in published


def test_editor_publishing_the_nomination_in_the_admin_puts_it_on_the_cached_home_page(client, nominated):
    entry, editor = nominated
    assert "Grace Mensah" not in client.get("/en/").content.decode()
    assert client.get("/en/")[CACHE_HEADER] == "hit"
    client.force_login(editor)
    _publish_in_admin(client, entry, citation="Led the campaign's outreach to police academies.")
    client.logout()
    entry.refresh_from_db()
    assert entry.live
    response = client.get("/en/")
    assert response[CACHE_HEADER] == "miss"  # the anonymous copy without her is not served again
    html = response.content.decode()
    assert "Grace Mensah" in html and "Led the campaign&#x27;s outreach to police academies." in html


def test_unpublishing_in_the_admin_takes_the_entry_off_the_cached_home_page(client, nominated):
    entry, editor = nominated
    client.force_login(editor)
    _publish_in_admin(client, entry)
    client.logout()
    assert "Grace Mensah" in client.get("/en/").content.decode()
    assert client.get("/en/")[CACHE_HEADER] == "hit"
    client.force_login(editor)
    assert client.post(f"{ADMIN}/unpublish/{entry.pk}/").status_code == 302
    client.logout()
    entry.refresh_from_db()
    assert not entry.live
    response = client.get("/en/")
    assert response[CACHE_HEADER] == "miss"
    assert "Grace Mensah" not in response.content.decode()


def test_a_draft_edit_of_a_published_entry_keeps_the_published_text_until_published(client, nominated):
    entry, editor = nominated
    entry.latest_revision.publish()
    assert "Contributor to the campaign" in client.get("/en/").content.decode()
    client.force_login(editor)
    draft = _admin_form(entry, citation="Trained forty officers in 2024.")
    assert client.post(f"{ADMIN}/edit/{entry.pk}/", draft).status_code == 302
    client.logout()
    response = client.get("/en/")
    # A saved draft changes nothing the public sees, so the cached page is still good.
    assert response[CACHE_HEADER] == "hit"
    assert "Trained forty officers" not in response.content.decode()
    FeaturedMember.objects.get(pk=entry.pk).latest_revision.publish()
    html = client.get("/en/").content.decode()
    assert "Trained forty officers in 2024." in html and "Contributor to the campaign" not in html


def test_withdrawn_consent_hides_a_published_nomination(client, nominated):
    entry, _editor = nominated
    entry.latest_revision.publish()
    assert "Grace Mensah" in client.get("/en/").content.decode()
    withdraw_feature_consent(entry.member.user)
    assert "Grace Mensah" not in client.get("/en/").content.decode()
    assert not FeaturedMember.objects.publicly_shown().exists()


def test_staff_who_are_not_editors_cannot_publish_featured_members(client, nominated):
    entry, _editor = nominated
    client.force_login(make_staff_user(StaffRole.MEMBERSHIP_OFFICER))
    assert is_refused(client.get(f"{ADMIN}/"))
    assert is_refused(client.post(f"{ADMIN}/edit/{entry.pk}/", {**_admin_form(entry), "action-publish": "1"}))
    entry.refresh_from_db()
    assert not entry.live


@pytest.mark.django_db(transaction=True)
def test_entries_made_before_the_editorial_step_stay_published():
    executor = MigrationExecutor(connection)
    drafts = ("cms", "0003_featured_member_drafts")
    before = executor.loader.graph.node_map[drafts].parents
    (before,) = [parent.key for parent in before if parent.key[0] == "cms"]
    executor.migrate([before])
    old_apps = executor.loader.project_state([before]).apps
    old_model = old_apps.get_model("cms", "FeaturedMember")
    old_model.objects.create(
        name="Award Winner",
        citation="Officer of the Year.",
        consent_recorded_on=datetime.date(2023, 11, 1),
        consent_note="Agreed by email to the secretariat.",
        locale=old_apps.get_model("wagtailcore", "Locale").objects.get(language_code="en"),
        translation_key=uuid.uuid4(),
    )
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    entry = FeaturedMember.objects.get(name="Award Winner")
    assert entry.live
    assert FeaturedMember.objects.publicly_shown().filter(pk=entry.pk).exists()
