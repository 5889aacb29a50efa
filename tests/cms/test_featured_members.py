import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from wagtail.models import Locale

from cms.cache import CACHE_HEADER
from cms.models import FeaturedMember
from network.choices import ConsentKind, MemberCategory
from network.models import ConsentRecord

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
    assert "Leads a unit for survivors." in client.get("/en/").content.decode()
    french_html = client.get("/fr/").content.decode()
    assert "Dirige une unité pour les victimes." in french_html and "Leads a unit" not in french_html
