"""The members' directory: who may open it, what it shows, and that filters never reveal hidden fields."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from network.choices import MemberCategory, Visibility
from network.models import ExpertiseArea, Language, Member, Mission, MissionService
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

DIRECTORY = "/en/members/directory/"
SHARED_WITH_NETWORK = {field: Visibility.NETWORK for field in Member.VISIBLE_FIELDS}


def sharing(category=MemberCategory.ACTIVE, *, first_name, visibility=None, **fields) -> Member:
    """A member who shares every field with the network unless told otherwise."""
    return MemberFactory(
        category=category,
        user__first_name=first_name,
        user__last_name="Member",
        visibility=SHARED_WITH_NETWORK if visibility is None else visibility,
        **fields,
    )


def serve(member: Member, acronym: str, start: int, end: int | None) -> None:
    MissionService.objects.create(
        member=member, mission=Mission.objects.get(acronym=acronym), start_year=start, end_year=end
    )


def directory_page(client, viewer: Member | None, **params) -> str:
    if viewer is not None:
        client.force_login(viewer.user)
    response = client.get(DIRECTORY, params)
    assert response.status_code == 200
    return response.content.decode()


def results(page: str) -> str:
    """The part of a directory page after the search form: the count, the entries and the page links."""
    return page.split('id="results"')[1].split("</main>")[0]


def yesterday() -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=1)


# --- who may enter -----------------------------------------------------------------------------------


def test_anonymous_visitor_gets_explanation_and_no_member_data(client, site):
    sharing(first_name="Zainabou", country="SN")
    response = client.get(DIRECTORY)
    page = response.content.decode()
    assert response.status_code == 200
    assert "open to active, civilian and honorary members" in page
    assert "Log in" in page
    assert "Zainabou" not in page
    assert "found" not in page


@pytest.mark.parametrize(
    ("make_viewer", "explanation"),
    [
        (lambda member_of: member_of(""), "has not been admitted"),
        (lambda member_of: member_of(MemberCategory.OBSERVER), "Observers follow the network"),
        (lambda member_of: member_of(MemberCategory.ACTIVE, membership_expires_on=yesterday()), "has expired"),
    ],
    ids=["applicant", "observer", "lapsed"],
)
def test_members_outside_the_network_get_explanation_without_member_data(
    client, site, member_of, make_viewer, explanation
):
    # Shared with all members, so an observer could see it on the profile page, yet not through the directory.
    sharing(
        first_name="Zainabou", country="SN", visibility={field: Visibility.MEMBERS for field in Member.VISIBLE_FIELDS}
    )
    page = directory_page(client, make_viewer(member_of), country="SN")
    assert explanation in page
    assert "Zainabou" not in page
    assert "members found" not in page and "member found" not in page
    assert "directory-search" not in page  # no search form


@pytest.mark.parametrize("category", [MemberCategory.ACTIVE, MemberCategory.CIVILIAN, MemberCategory.HONORARY])
def test_network_members_open_the_directory(client, site, member_of, category):
    sharing(first_name="Zainabou")
    page = directory_page(client, member_of(category))
    assert "Zainabou" in page
    assert "1 member found" in page


def test_directory_link_in_the_members_area_only_for_network_members(client, site, member_of):
    # The header keeps one account menu; the directory is reached from "My network" (/en/members/).
    client.force_login(member_of(MemberCategory.OBSERVER).user)
    assert f'href="{DIRECTORY}"' not in client.get("/en/members/").content.decode()
    client.force_login(member_of(MemberCategory.HONORARY).user)
    assert f'href="{DIRECTORY}"' in client.get("/en/members/").content.decode()


# --- who is listed, and what shows ------------------------------------------------------------------


def test_lists_only_current_admitted_members_who_share_something(client, site, member_of):
    sharing(first_name="Listed")
    sharing(MemberCategory.HONORARY, first_name="Alsolisted", visibility={"bio": Visibility.MEMBERS})
    sharing(first_name="Private", visibility={})
    sharing("", first_name="Applicant")
    sharing(first_name="Lapsed", membership_expires_on=yesterday())
    inactive = sharing(first_name="Deactivated")
    inactive.user.is_active = False
    inactive.user.save()
    viewer = member_of(MemberCategory.ACTIVE, visibility=SHARED_WITH_NETWORK, user__first_name="Viewerself")

    page = directory_page(client, viewer)
    assert "Listed" in page and "Alsolisted" in page
    for hidden in ("Private", "Applicant", "Lapsed", "Deactivated", "Viewerself"):
        assert hidden not in page
    assert "2 members found" in page


def test_entry_shows_only_the_fields_shared_with_the_viewer_and_never_the_email(client, site, member_of):
    member = sharing(
        first_name="Zainabou",
        country="SN",
        rank="Commissaire",
        police_service="Police nationale",
        visibility={"rank": Visibility.NETWORK, "country": Visibility.PRIVATE},
    )
    page = directory_page(client, member_of(MemberCategory.CIVILIAN))
    entries = page.split('id="results"')[1]  # after the filter form, whose country list names every country
    assert "Commissaire" in entries
    assert "Senegal" not in entries
    assert "Police nationale" not in page
    assert member.user.email not in page


# --- filters never reveal a hidden field -------------------------------------------------------------


def test_country_filter_matches_only_members_who_share_their_country(client, site, member_of):
    sharing(first_name="Sharedcountry", country="SN")
    sharing(first_name="Hiddencountry", country="SN", visibility={"rank": Visibility.NETWORK})
    sharing(first_name="Othercountry", country="RW")
    viewer = member_of(MemberCategory.ACTIVE)

    page = directory_page(client, viewer, country="SN")
    assert "Sharedcountry" in page
    assert "Hiddencountry" not in page
    assert "Othercountry" not in page
    assert "1 member found" in page
    # Without the filter the member with a hidden country is listed (by the field she shares).
    assert "Hiddencountry" in directory_page(client, viewer)


def test_country_shared_with_all_members_is_filterable_by_network_members(client, site, member_of):
    sharing(first_name="Sharedwithall", country="SN", visibility={"country": Visibility.MEMBERS})
    assert "Sharedwithall" in directory_page(client, member_of(MemberCategory.ACTIVE), country="SN")


def test_language_and_expertise_filters_respect_visibility(client, site, member_of):
    french = Language.objects.get(code="fr")
    leadership = ExpertiseArea.objects.get(slug="leadership")
    shows = sharing(first_name="Showslanguage")
    hides = sharing(first_name="Hideslanguage", visibility={"rank": Visibility.NETWORK})
    for member in (shows, hides):
        member.languages.add(french)
        member.expertise.add(leadership)
    viewer = member_of(MemberCategory.ACTIVE)

    for params in ({"language": french.pk}, {"expertise": leadership.pk}):
        page = directory_page(client, viewer, **params)
        assert "Showslanguage" in page
        assert "Hideslanguage" not in page


def test_hidden_current_deployment_is_neither_shown_nor_found(client, site, member_of):
    deployed = sharing(first_name="Deployednow", hide_current_deployment=True)
    serve(deployed, "MINUSCA", 2023, None)
    serve(deployed, "UNMISS", 2015, 2018)
    open_about_it = sharing(first_name="Openlydeployed")
    serve(open_about_it, "MINUSCA", 2022, None)
    viewer = member_of(MemberCategory.ACTIVE)
    minusca = Mission.objects.get(acronym="MINUSCA")
    unmiss = Mission.objects.get(acronym="UNMISS")

    page = directory_page(client, viewer)
    assert "UNMISS (2015–2018)" in page
    assert "MINUSCA (2023" not in page
    assert "MINUSCA (2022" in page

    page = directory_page(client, viewer, mission=minusca.pk)
    assert "Openlydeployed" in page
    assert "Deployednow" not in page
    assert "Deployednow" in directory_page(client, viewer, mission=unmiss.pk)

    # Hiding the current deployment leaves earlier services of the same mission findable.
    returned = sharing(first_name="Returnedagain", hide_current_deployment=True)
    serve(returned, "MINUSCA", 2016, 2018)
    serve(returned, "MINUSCA", 2024, None)
    page = directory_page(client, viewer, mission=minusca.pk)
    assert "Returnedagain" in page and "MINUSCA (2016–2018)" in page
    assert "MINUSCA (2024" not in page

    # The profile page hides it too; the member herself still sees it, marked as hidden.
    profile = client.get(reverse("network:member_profile", args=[deployed.public_id])).content.decode()
    assert "UNMISS" in profile
    assert "MINUSCA" not in profile
    client.force_login(deployed.user)
    own = client.get(reverse("network:my_profile")).content.decode()
    assert "MINUSCA" in own
    assert "hidden from others" in own


def test_category_and_name_filters(client, site, member_of):
    sharing(MemberCategory.CIVILIAN, first_name="Civilianone")
    sharing(MemberCategory.HONORARY, first_name="Honoraryone")
    viewer = member_of(MemberCategory.ACTIVE)

    page = directory_page(client, viewer, category=MemberCategory.CIVILIAN)
    assert "Civilianone" in page and "Honoraryone" not in page
    page = directory_page(client, viewer, q="honoraryON")
    assert "Honoraryone" in page and "Civilianone" not in page


def test_name_search_does_not_match_email_addresses(client, site, member_of):
    member = sharing(first_name="Zainabou", user__email="secret.handle@example.org")
    assert member.user.email == "secret.handle@example.org"
    page = directory_page(client, member_of(MemberCategory.ACTIVE), q="secret.handle")
    assert "Zainabou" not in page
    assert "0 members found" in page


def test_wrong_filter_values_are_reported_and_other_filters_kept(client, site, member_of):
    sharing(first_name="Zainabou", country="SN")
    page = directory_page(client, member_of(MemberCategory.ACTIVE), country="SN", per_page="5000", mission="999999")
    assert "Some filters could not be used" in page
    assert "Ensure this value is less than or equal to 100." in page
    assert "Select a valid choice." in page
    assert 'value="5000"' in page
    assert "Zainabou" in page  # the valid country filter still applied


# --- paging and query count --------------------------------------------------------------------------


def test_page_size_and_pagination_links_keep_the_filters(client, site, member_of):
    for number in range(12):
        sharing(first_name=f"Person{number:02d}", country="SN")
    page = directory_page(client, member_of(MemberCategory.ACTIVE), country="SN", per_page=10)
    assert "12 members found" in page
    assert page.count('class="directory-entry"') == 10
    assert "country=SN&amp;per_page=10&amp;page=2" in page
    assert '<option value="SN" selected>Senegal</option>' in page  # the form shows the filter in use
    assert page.count(" selected>") == 5  # and "Any" in the four other lists


def test_every_page_of_a_search_tells_the_number_of_matches(client, site, member_of):
    for number in range(12):
        sharing(first_name=f"Person{number:02d}", country="SN")
    sharing(first_name="Elsewhere", country="KE")
    viewer = member_of(MemberCategory.ACTIVE)

    second = directory_page(client, viewer, country="SN", per_page=10, page=2)
    assert "12 members found" in second
    assert second.count('class="directory-entry"') == 2
    assert "Person10" in second and "Person11" in second and "Person09" not in second
    assert "Page 2 of 2" in second
    # A number past the end shows the last page, a wrong one the first; the count stays right.
    past_end = directory_page(client, viewer, country="SN", per_page=10, page=7)
    assert results(past_end) == results(second)
    for number in (0, -3, 10**30):
        assert results(directory_page(client, viewer, country="SN", per_page=10, page=number)) == results(second)
    first = directory_page(client, viewer, country="SN", per_page=10, page="two")
    assert "12 members found" in first and "Page 1 of 2" in first and "Person00" in first
    # Without a filter: everyone listed (the viewer never lists herself).
    everyone = directory_page(client, viewer, per_page=10, page=2)
    assert "13 members found" in everyone and "Page 2 of 2" in everyone
    assert "Person10" in everyone and "Person11" in everyone
    assert "No member matches" in directory_page(client, viewer, country="SN", q="Nobody", page=2)


def test_number_of_queries_does_not_grow_with_page_size(client, site, member_of, django_assert_max_num_queries):
    french = Language.objects.get(code="fr")
    training = ExpertiseArea.objects.get(slug="training")
    for number in range(105):
        member = sharing(first_name=f"Person{number:03d}", country="SN")
        member.languages.add(french)
        member.expertise.add(training)
        serve(member, "MINUSMA", 2015, 2017)
    client.force_login(member_of(MemberCategory.ACTIVE).user)

    client.get(DIRECTORY)  # the first request of a session does some one-off work
    counts = {}
    for size in (10, 100):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(DIRECTORY, {"per_page": size, "country": "SN", "language": french.pk})
        assert response.content.decode().count('class="directory-entry"') == size
        counts[size] = len(queries)
    assert counts[10] == counts[100]
    for size in (10, 100):
        with django_assert_max_num_queries(counts[10]):
            client.get(DIRECTORY, {"per_page": size, "country": "SN", "language": french.pk})


# --- search text, who is listed, refused searches ---------------------------------------------------------


def test_name_search_ignores_accents_and_case(client, site, member_of):
    sharing(first_name="Lucía Núñez")
    viewer = member_of(MemberCategory.ACTIVE)
    for query in ("Lucia", "lucía", "LUCIA nunez", "Núñez"):
        assert "Lucía" in results(directory_page(client, viewer, q=query)), query


def test_name_search_matches_the_shared_country_service_and_rank_only(client, site, member_of):
    sharing(first_name="Amina", country="SN", police_service="Police nationale", rank="Commissaire")
    sharing(
        first_name="Hidden",
        country="SN",
        police_service="Police nationale",
        rank="Commissaire",
        visibility={"bio": Visibility.NETWORK},
    )
    viewer = member_of(MemberCategory.ACTIVE)
    for query in ("senegal", "Sénégal", "police nationale", "commissaire"):
        page = results(directory_page(client, viewer, q=query))
        assert "Amina" in page, query
        # The same values kept private are never searched: the search does not reveal them.
        assert "Hidden" not in page, query


def test_search_text_follows_profile_changes(client, site, member_of):
    member = sharing(first_name="Amina", rank="Inspector")
    viewer = member_of(MemberCategory.ACTIVE)
    member.visibility = {**member.visibility, "rank": Visibility.PRIVATE}
    member.save(update_fields=["visibility"])
    assert "Amina" not in results(directory_page(client, viewer, q="inspector"))


def test_observers_are_not_listed_as_the_page_says(client, site, member_of):
    sharing(MemberCategory.OBSERVER, first_name="Observerone")
    sharing(MemberCategory.HONORARY, first_name="Honoraryone")
    page = directory_page(client, member_of(MemberCategory.ACTIVE))
    assert "Active, civilian and honorary members" in page
    assert "Honoraryone" in results(page) and "Observerone" not in results(page)
    assert '<option value="observer"' not in page


def test_over_long_search_shows_its_error_and_no_results(client, site, member_of):
    sharing(first_name="Zainabou")
    page = directory_page(client, member_of(MemberCategory.ACTIVE), q="x" * 101)
    assert "Please shorten the search to 100 characters at most." in page
    assert "Your search could not be used" in page
    assert "Zainabou" not in page
    assert "0 members found" in page
