"""Who may find and open which document: pages, files, earlier versions, previews and Wagtail's own
document URL all ask the same policy, and a document someone may not open does not exist for them."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from library import services
from library.models import Document
from network.choices import AccessLevel
from tests.factories.library import make_library_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def documents(editor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        made = {
            "public": make_library_document("Public-Doc-Aardvark", level=AccessLevel.PUBLIC, actor=editor),
            "members": make_library_document("Members-Doc-Badger", level=AccessLevel.MEMBERS, actor=editor),
            "network": make_library_document("Network-Doc-Cougar", level=AccessLevel.NETWORK, actor=editor),
            "community": make_library_document("Community-Doc-Dingo", level=AccessLevel.COMMUNITY, actor=editor),
            "granted": make_library_document(
                "Granted-Doc-Eland", level=AccessLevel.MEMBERS, is_restricted=True, actor=editor
            ),
        }
    return made


VISIBLE = {
    "anonymous": {"public"},
    "observer": {"public", "members"},
    "active": {"public", "members", "network"},
    "community": {"public", "members", "network", "community"},
    "editor": {"public", "members", "network", "community", "granted"},
}


def login(client, request, role):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))


def file_urls(document: Document) -> list[str]:
    return [
        reverse("library:document_detail", args=[document.pk]),
        reverse("library:document_download", args=[document.pk]),
        reverse("library:version_download", args=[document.pk, 1]),
        reverse("library:document_preview", args=[document.pk]),
        f"/documents/{document.pk}/{document.filename}",
    ]


@pytest.mark.parametrize("role", list(VISIBLE))
def test_each_role_opens_exactly_the_documents_of_its_level(client, request, documents, role):
    login(client, request, role)
    home = client.get(reverse("library:home")).text
    for key, document in documents.items():
        allowed = key in VISIBLE[role]
        assert (document.title in home) == allowed, (role, key)
        for url in file_urls(document):
            status = client.get(url).status_code
            assert (status == 200) == allowed, (role, key, url, status)
            if not allowed:
                assert status == 404


def test_granted_member_opens_a_restricted_document_and_others_do_not(client, documents, observer, active, editor):
    granted = documents["granted"]
    services.grant_document_access(granted, observer, actor=None, reason="Working group on recruitment")
    client.force_login(observer)
    assert client.get(reverse("library:document_download", args=[granted.pk])).status_code == 200
    assert "Granted-Doc-Eland" in client.get(reverse("library:home")).text
    client.force_login(active)
    assert client.get(reverse("library:document_download", args=[granted.pk])).status_code == 404
    assert "Granted-Doc-Eland" not in client.get(reverse("library:home")).text


def test_group_grant_opens_the_document_to_the_groups_members(client, documents, active):
    group = Group.objects.create(name="Recruitment working group")
    active.groups.add(group)
    services.grant_document_access(documents["granted"], group, actor=None, reason="Working group")
    client.force_login(active)
    assert client.get(reverse("library:document_download", args=[documents["granted"].pk])).status_code == 200


def test_a_grant_does_not_lift_anyone_above_the_documents_level(client, editor, observer):
    document = make_library_document("Lifted", level=AccessLevel.NETWORK, is_restricted=True, actor=editor)
    services.grant_document_access(document, observer, actor=None, reason="try")
    client.force_login(observer)
    assert client.get(reverse("library:document_download", args=[document.pk])).status_code == 404


def test_guessed_ids_and_versions_answer_404(client, documents, community):
    client.force_login(community)
    document = documents["public"]
    assert client.get(reverse("library:document_detail", args=[999999])).status_code == 404
    assert client.get(reverse("library:document_download", args=[999999])).status_code == 404
    assert client.get(reverse("library:version_download", args=[document.pk, 7])).status_code == 404
    assert client.get(f"/documents/{documents['community'].pk}/wrong-name.pdf").status_code in (301, 302, 404)


def test_restricted_files_have_no_public_media_url(client, documents, settings):
    document = documents["community"]
    assert not (settings.MEDIA_ROOT / document.file.name).exists()
    assert client.get(f"{settings.MEDIA_URL}{document.file.name}").status_code == 404
    # Wagtail's URL for the document is its serve view, which asks the policy.
    assert document.url == f"/documents/{document.pk}/{document.filename}"


def test_served_files_carry_the_safety_headers(client, documents, editor):
    from tests.factories.library import docx_bytes

    pdf = client.get(reverse("library:document_download", args=[documents["public"].pk]))
    assert pdf["Content-Disposition"].startswith("inline;")
    assert pdf["X-Content-Type-Options"] == "nosniff"
    assert pdf["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert pdf["Content-Type"] == "application/pdf"
    word = make_library_document("Word", data=docx_bytes("x"), name="w.docx", actor=editor)
    response = client.get(reverse("library:document_download", args=[word.pk]))
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="word.docx"' in response["Content-Disposition"]
    wagtail = client.get(f"/documents/{word.pk}/{word.filename}")
    assert wagtail["Content-Disposition"].startswith("attachment;")
    assert wagtail["Content-Security-Policy"] == "sandbox; default-src 'none'"


def test_restricted_file_is_handed_to_nginx_when_configured(client, documents, community, settings):
    settings.PRIVATE_FILES_X_ACCEL_REDIRECT_PREFIX = "/protected/"
    client.force_login(community)
    response = client.get(reverse("library:document_download", args=[documents["community"].pk]))
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/protected/{documents['community'].file.name}"
    assert response.content == b""
    assert response["Cache-Control"] == "private, no-store"


def test_library_home_filters_in_the_query(client, documents, community, django_assert_max_num_queries):
    client.force_login(community)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("library:home"), {"language": "en"})
    assert response.status_code == 200
    assert "Granted-Doc-Eland" not in response.text


def test_bad_filters_give_a_message_not_an_error(client, documents):
    response = client.get(reverse("library:home"), {"year": "abc", "topic": "nope';--", "page": "x"})
    assert response.status_code == 200
    assert "Some filters could not be used" in response.text
    assert "Public-Doc-Aardvark" in response.text


def test_french_page_labels_the_english_version(client, editor):
    english = make_library_document("Toolkit module 3", actor=editor, language="en")
    french = make_library_document("Boîte à outils, module 3", actor=editor, language="fr", translation_of=english)
    page = client.get(reverse("library:document_detail", args=[english.pk])).text
    assert "Also in French" in page
    with __import__("django.utils.translation", fromlist=["override"]).override("fr"):
        url = reverse("library:document_detail", args=[french.pk])
    assert "Aussi en anglais" in client.get(url).text


def test_editors_see_that_the_french_version_is_missing(client, editor, active):
    document = make_library_document("English only", actor=editor, language="en")
    url = reverse("library:document_detail", args=[document.pk])
    client.force_login(active)
    assert "French version missing" not in client.get(url).text
    client.force_login(editor)
    assert "French version missing" in client.get(url).text


def test_library_home_offers_the_library_search_and_it_finds_only_documents(client, editor, site):
    make_library_document("Patrol handbook Okavango", actor=editor, level=AccessLevel.PUBLIC)
    call_command("search_reindex", verbosity=0)
    home = client.get(reverse("library:home")).text
    assert f'action="{reverse("search:site_search")}"' in home and 'name="kind" value="document"' in home

    results = client.get(reverse("search:site_search"), {"q": "Okavango", "kind": "document"}).text
    assert "Search the library" in results and "Patrol handbook Okavango" in results
