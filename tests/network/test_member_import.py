import datetime

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError

from network.choices import AuditAction, ImportState, MemberCategory, StaffRole
from network.models import AuditEntry, CategoryChange, Member, MemberImport, User
from network.services import imports
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

INDEX = "/admin/member-imports/"
UPLOAD = "/admin/member-imports/upload/"
TEMPLATE = "/admin/member-imports/template.csv"
HEADER = "email,first_name,last_name,category,country,police_service,rank,languages,membership_expires_on"
THREE_ROWS = [
    "Amina.Diallo@Example.org,Amina,Diallo,active,SN,Police nationale,Commissaire,fr;en,2027-06-30",
    "grace.otieno@example.org,Grace,Otieno,civilian,Kenya,UNDP,Adviser,en;sw,",
    "maria.silva@example.org,Maria,Silva,Honorary,BRA,,,pt,",
]


def progress_url(member_import: MemberImport) -> str:
    return f"/admin/member-imports/{member_import.pk}/"


def preview_url(member_import: MemberImport) -> str:
    return f"/admin/member-imports/{member_import.pk}/preview/"


def csv_upload(rows: list[str], *, header: str = HEADER, name: str = "members.csv", encoding: str = "utf-8"):
    content = "\n".join([header, *rows]) + "\n"
    return SimpleUploadedFile(name, content.encode(encoding), content_type="text/csv")


def with_role(user: User, role: StaffRole) -> User:
    user.groups.add(Group.objects.get(name=role.value))
    # Staff need a second factor before the admin opens (see test_mfa.py).
    TOTP.activate(user, generate_totp_secret())
    return user


@pytest.fixture(autouse=True)
def _private_files(tmp_path, monkeypatch):
    monkeypatch.setattr(MemberImport._meta.get_field("file").storage, "location", str(tmp_path))


@pytest.fixture
def officer(member_of):
    return with_role(member_of("").user, StaffRole.MEMBERSHIP_OFFICER)


@pytest.fixture
def administrator(member_of):
    return with_role(member_of("").user, StaffRole.ADMINISTRATOR)


@pytest.fixture
def upload_and_check(django_capture_on_commit_callbacks):
    """Upload a file through the service and run the check task (eager) → the checked import."""

    def run(rows: list[str], *, actor: User, **kwargs) -> MemberImport:
        with django_capture_on_commit_callbacks(execute=True):
            member_import = imports.start_member_import(csv_upload(rows, **kwargs), actor=actor)
        member_import.refresh_from_db()
        return member_import

    return run


@pytest.fixture
def confirm(django_capture_on_commit_callbacks):
    def run(member_import: MemberImport, *, actor: User) -> MemberImport:
        with django_capture_on_commit_callbacks(execute=True):
            imports.confirm_member_import(member_import, actor=actor)
        member_import.refresh_from_db()
        return member_import

    return run


def error_keys(member_import: MemberImport) -> set[tuple]:
    return {(error["row"], error["field"]) for error in member_import.errors}


# --- the whole flow ---


def test_officer_imports_three_members_through_upload_preview_and_confirm(
    client, officer, django_capture_on_commit_callbacks
):
    client.force_login(officer)
    assert client.get(INDEX).status_code == 200
    assert client.get(UPLOAD).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(UPLOAD, {"file": csv_upload(THREE_ROWS, name="legacy-members.csv")})
    member_import = MemberImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == progress_url(member_import)
    assert (member_import.state, member_import.total_rows, member_import.processed_rows) == (ImportState.CHECKED, 3, 3)
    assert member_import.errors == []
    assert member_import.created_by == officer
    assert not User.objects.filter(email="grace.otieno@example.org").exists()  # the check creates nothing

    response = client.get(progress_url(member_import))
    assert response.status_code == 302
    assert response["Location"] == preview_url(member_import)
    page = client.get(preview_url(member_import)).content.decode()
    assert "amina.diallo@example.org" in page
    assert "Kenya" in page and "Brazil" in page
    assert "Honorary" in page
    assert "Import 3 members" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(preview_url(member_import))
    assert response.status_code == 302
    member_import.refresh_from_db()
    assert member_import.state == ImportState.DONE
    assert member_import.created_count == 3
    assert "3 members were imported." in client.get(progress_url(member_import)).content.decode()

    amina = Member.objects.select_related("user").get(user__email="amina.diallo@example.org")
    assert amina.category == MemberCategory.ACTIVE
    assert amina.country.code == "SN"
    assert (amina.police_service, amina.rank) == ("Police nationale", "Commissaire")
    assert sorted(amina.languages.values_list("code", flat=True)) == ["en", "fr"]
    assert amina.membership_expires_on == datetime.date(2027, 6, 30)
    assert amina.visibility == {}  # private until the member chooses otherwise
    assert (amina.user.first_name, amina.user.last_name) == ("Amina", "Diallo")
    assert not amina.user.has_usable_password()
    address = EmailAddress.objects.get(user=amina.user)
    assert (address.email, address.verified, address.primary) == ("amina.diallo@example.org", True, True)

    grace = Member.objects.get(user__email="grace.otieno@example.org")
    assert (grace.category, grace.country.code, grace.membership_expires_on) == ("civilian", "KE", None)
    assert Member.objects.get(user__email="maria.silva@example.org").country.code == "BR"

    changes = CategoryChange.objects.filter(member__user__email__endswith="@example.org", actor=officer)
    assert changes.count() == 3
    change = changes.get(member=amina)
    assert (change.from_category, change.to_category) == ("", "active")
    assert change.reason == "imported from legacy-members.csv"

    entry = AuditEntry.objects.get(action=AuditAction.MEMBERS_IMPORTED)
    assert entry.actor == officer
    assert entry.object_id == str(member_import.pk)
    assert entry.details["created"] == 3
    assert entry.details["by_category"] == {"active": 1, "civilian": 1, "honorary": 1}


def test_imported_member_sets_a_password_through_password_reset(officer, upload_and_check, confirm, client, mailoutbox):
    confirm(upload_and_check(THREE_ROWS[:1], actor=officer), actor=officer)
    response = client.post("/en/accounts/password/reset/", {"email": "amina.diallo@example.org"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["amina.diallo@example.org"]


def test_administrator_may_import_too(client, administrator, upload_and_check, confirm):
    client.force_login(administrator)
    assert client.get(UPLOAD).status_code == 200
    member_import = confirm(upload_and_check(THREE_ROWS, actor=administrator), actor=administrator)
    assert member_import.state == ImportState.DONE


def test_progress_page_shows_progress_and_reloads_itself_while_checking(client, officer):
    member_import = MemberImport.objects.create(
        created_by=officer, original_name="big.csv", state=ImportState.CHECKING, total_rows=5000, processed_rows=1500
    )
    client.force_login(officer)
    page = client.get(progress_url(member_import)).content.decode()
    assert '<meta http-equiv="refresh" content="2">' in page
    assert '<progress id="import-progress" max="5000" value="1500">' in page
    assert "Checked 1500 of 5000 rows (30 %)." in page

    MemberImport.objects.filter(pk=member_import.pk).update(state=ImportState.IMPORTING)
    page = client.get(progress_url(member_import)).content.decode()
    assert '<meta http-equiv="refresh" content="2">' in page
    assert "<progress" in page

    MemberImport.objects.filter(pk=member_import.pk).update(state=ImportState.DONE, created_count=5000)
    page = client.get(progress_url(member_import)).content.decode()
    assert "http-equiv" not in page
    assert "<progress" not in page


def test_template_file_can_be_filled_in_and_imported(client, officer, upload_and_check):
    client.force_login(officer)
    response = client.get(TEMPLATE)
    assert response["Content-Type"].startswith("text/csv")
    header, example = response.content.decode().strip().splitlines()
    member_import = upload_and_check([example], header=header, actor=officer)
    assert member_import.state == ImportState.CHECKED
    assert member_import.errors == []


def test_spreadsheet_headers_semicolons_and_extra_columns_are_understood(officer, upload_and_check, confirm):
    member_import = upload_and_check(
        ["x;zoe@example.org;Zoé;Nkurunziza;Observer;Burundi;;;"],
        header="Public id;Email;First name;Last name;Category;Country;Police service;Rank;Membership expires on",
        actor=officer,
    )
    assert member_import.errors == []
    assert confirm(member_import, actor=officer).state == ImportState.DONE
    zoe = Member.objects.get(user__email="zoe@example.org")
    assert (zoe.user.first_name, zoe.category, zoe.country.code) == ("Zoé", "observer", "BI")


# --- per-row errors ---


def test_each_kind_of_bad_row_gets_its_own_error(officer, upload_and_check):
    rows = [
        "not-an-email,Ana,Lopez,active,ES,,,,",  # 2
        "ana@example.org,,Lopez,active,ES,,,,",  # 3 missing first name
        "bea@example.org,Bea,Ruiz,general,ES,,,,",  # 4 unknown category
        "cara@example.org,Cara,Diaz,active,Atlantis,,,,",  # 5 unknown country
        "dora@example.org,Dora,Gil,active,ES,,,es;xx,",  # 6 unknown language
        "eva@example.org,Eva,Sanz,active,ES,,,,31/12/2027",  # 7 bad date
        "fay@example.org,Fay,Mora,active,ES,,,,2027-02-30",  # 8 impossible date
        f"gil@example.org,Gil,Vega,active,ES,{'x' * 201},,,",  # 9 too long
        "hana@example.org,Hana,Roy,,ES,,,,",  # 10 missing category
        ",Ines,Paz,active,ES,,,,",  # 11 missing email
        "jo@example.org,Jo,Lee,active,ES,,,,,surplus",  # 12 more values than columns
        "kim@example.org,Kim,Ota,civilian,ES,,,,",  # 13 fine
    ]
    member_import = upload_and_check(rows, actor=officer)
    assert member_import.state == ImportState.CHECKED
    assert error_keys(member_import) == {
        (2, "email"),
        (3, "first_name"),
        (4, "category"),
        (5, "country"),
        (6, "languages"),
        (7, "membership_expires_on"),
        (8, "membership_expires_on"),
        (9, "police_service"),
        (10, "category"),
        (11, "email"),
        (12, ""),
    }
    messages = {(error["row"], error["field"]): error["message"] for error in member_import.errors}
    assert messages[(2, "email")] == "“not-an-email” is not a valid email address."
    assert messages[(4, "category")] == "Unknown category “general”; use one of: active, civilian, honorary, observer."
    assert "“Atlantis”" in messages[(5, "country")]
    assert "“xx”" in messages[(6, "languages")]
    assert messages[(7, "membership_expires_on")] == "“31/12/2027” is not a date in the form YYYY-MM-DD."
    assert member_import.processed_rows == member_import.total_rows == 12


def test_duplicate_emails_in_the_file_and_against_accounts_are_found_whatever_the_case(
    officer, member_of, upload_and_check
):
    existing = member_of("active").user
    second_address = UserFactory()
    EmailAddress.objects.create(user=second_address, email="old.address@example.org", verified=True)
    rows = [
        "lina@example.org,Lina,Haddad,active,LB,,,,",  # 2
        "LINA@example.ORG,Lina,Haddad,active,LB,,,,",  # 3 same as row 2
        f"{existing.email.upper()},Someone,Else,active,LB,,,,",  # 4 existing login
        "Old.Address@example.org,Nour,Saleh,active,LB,,,,",  # 5 existing second address
    ]
    member_import = upload_and_check(rows, actor=officer)
    assert error_keys(member_import) == {(3, "email"), (4, "email"), (5, "email")}
    messages = {error["row"]: error["message"] for error in member_import.errors}
    assert messages[3] == "This email address already appears in row 2."
    assert messages[4] == messages[5] == "An account with this email address already exists."


def test_rows_with_errors_block_the_confirmation(client, officer, upload_and_check, django_capture_on_commit_callbacks):
    member_import = upload_and_check([*THREE_ROWS, "broken,Row,Four,active,,,,,"], actor=officer)
    client.force_login(officer)
    page = client.get(preview_url(member_import)).content.decode()
    assert "1 row has errors." in page
    assert "correct the rows listed below in your file and upload it again" in page
    assert "“broken” is not a valid email address." in page
    assert "Import 4 members" not in page
    assert "Upload a corrected file" in page

    # A forged confirmation is refused too.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(preview_url(member_import), follow=True)
    assert "Rows with errors cannot be imported." in response.content.decode()
    member_import.refresh_from_db()
    assert member_import.state == ImportState.CHECKED
    assert not User.objects.filter(email="grace.otieno@example.org").exists()


def test_stored_errors_are_capped_with_a_summary(officer, upload_and_check, monkeypatch):
    monkeypatch.setattr(imports, "MAX_STORED_ERRORS", 3)
    member_import = upload_and_check([f"bad{n},A,B,active,,,,," for n in range(5)], actor=officer)
    assert len(member_import.errors) == 4
    assert member_import.errors[-1] == {"row": None, "field": "", "message": "… and 2 more errors."}


# --- bad files ---


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ((HEADER + "\nzoé@example.org,Zoé,K,active,,,,,\n").encode("latin-1"), "The file is not UTF-8 text."),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "The file is not UTF-8 text."),
        (b"", "The submitted file is empty."),
        (b"\n\n", "The file is empty."),
        (b"amina@example.org,Amina,Diallo,active\n", "The first row must be a header with the column names"),
        (b"email,first_name,category\nx@example.org,X,active\n", "The header lacks these required columns: last_name."),
        (b"email,first_name,last_name,category,email\n", "These columns appear more than once in the header: email."),
        (HEADER.encode(), "The file has a header but no rows of members."),
    ],
    ids=["not-utf8", "image", "empty", "blank-lines", "no-header", "missing-column", "duplicate-column", "no-rows"],
)
def test_unusable_file_is_refused_at_upload_with_a_clear_message(client, officer, content, message):
    client.force_login(officer)
    response = client.post(UPLOAD, {"file": SimpleUploadedFile("members.csv", content, content_type="text/csv")})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not MemberImport.objects.exists()


def test_file_over_the_size_limit_is_refused(client, officer, monkeypatch):
    monkeypatch.setattr(imports, "MAX_FILE_BYTES", 1024)
    client.force_login(officer)
    big = (HEADER + "\n" + "\n".join(f"p{n}@example.org,P,Q,active,,,,," for n in range(100))).encode()
    response = client.post(UPLOAD, {"file": SimpleUploadedFile("members.csv", big)})
    assert "The file is larger than 1.0\xa0KB." in response.content.decode()
    assert not MemberImport.objects.exists()


def test_file_over_the_row_limit_is_refused(client, officer, monkeypatch):
    monkeypatch.setattr(imports, "MAX_ROWS", 5)
    client.force_login(officer)
    rows = [f"p{n}@example.org,P,Q,active,,,,," for n in range(6)]
    response = client.post(UPLOAD, {"file": csv_upload(rows)})
    assert "The file has more than 5 rows. Split it into smaller files." in response.content.decode()
    assert not MemberImport.objects.exists()


# --- all or nothing ---


def test_row_that_became_invalid_after_the_check_fails_the_whole_import(officer, upload_and_check, confirm):
    member_import = upload_and_check(THREE_ROWS, actor=officer)
    assert member_import.errors == []
    UserFactory(email="maria.silva@example.org")  # signed up between the check and the confirmation

    member_import = confirm(member_import, actor=officer)
    assert member_import.state == ImportState.FAILED
    assert member_import.created_count == 0
    assert member_import.errors[0]["message"] == "Nothing was imported: 1 row is no longer valid."
    assert (4, "email") in error_keys(member_import)
    assert not User.objects.filter(email__in=["amina.diallo@example.org", "grace.otieno@example.org"]).exists()
    assert not CategoryChange.objects.exists()
    assert not AuditEntry.objects.filter(action=AuditAction.MEMBERS_IMPORTED).exists()


def test_database_failure_during_the_import_leaves_nothing_behind(
    client, officer, upload_and_check, confirm, monkeypatch
):
    member_import = upload_and_check(THREE_ROWS, actor=officer)
    users_before, addresses_before = User.objects.count(), EmailAddress.objects.count()

    def refuse(*args, **kwargs):
        raise IntegrityError("duplicate key value violates unique constraint")

    # The last write of the import fails: everything before it must be rolled back.
    monkeypatch.setattr(imports, "record_audit", refuse)
    member_import = confirm(member_import, actor=officer)
    assert member_import.state == ImportState.FAILED
    assert "Nothing was imported" in member_import.errors[0]["message"]
    assert User.objects.count() == users_before
    assert EmailAddress.objects.count() == addresses_before
    assert Member.objects.filter(category=MemberCategory.HONORARY).count() == 0
    assert not CategoryChange.objects.exists()

    client.force_login(officer)
    page = client.get(progress_url(member_import)).content.decode()
    assert "Nothing was imported." in page


def test_import_is_confirmed_and_run_only_once(officer, upload_and_check, confirm):
    member_import = confirm(upload_and_check(THREE_ROWS, actor=officer), actor=officer)
    assert member_import.state == ImportState.DONE
    with pytest.raises(imports.ImportNotReady):
        imports.confirm_member_import(member_import, actor=officer)
    # A redelivered task finds the import done and does nothing.
    assert imports.import_members(member_import.pk, actor_id=officer.pk) is None
    assert imports.check_member_import(member_import.pk) is None
    assert User.objects.filter(email="amina.diallo@example.org").count() == 1


# --- who may import ---


@pytest.fixture
def other_people(member_of):
    moderator = with_role(member_of("active").user, StaffRole.MODERATOR)
    editor = with_role(member_of("").user, StaffRole.EDITOR)
    return {
        "anonymous": None,
        "observer": member_of("observer").user,
        "active member": member_of("active").user,
        "moderator": moderator,
        "editor": editor,
    }


@pytest.mark.parametrize("who", ["anonymous", "observer", "active member", "moderator", "editor"])
def test_only_membership_officers_and_administrators_reach_the_import_pages(
    client, who, other_people, officer, upload_and_check, django_capture_on_commit_callbacks
):
    member_import = upload_and_check(THREE_ROWS, actor=officer, name="secret-list.csv")
    user = other_people[who]
    if user is not None:
        client.force_login(user)
    for address in (INDEX, UPLOAD, TEMPLATE, progress_url(member_import), preview_url(member_import)):
        response = client.get(address)
        assert response.status_code in (302, 403), address
        assert "secret-list.csv" not in response.content.decode()
        assert "amina.diallo" not in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(preview_url(member_import))
        assert response.status_code in (302, 403)
        response = client.post(UPLOAD, {"file": csv_upload(["x@example.org,X,Y,active,,,,,"])})
        assert response.status_code in (302, 403)
    member_import.refresh_from_db()
    assert member_import.state == ImportState.CHECKED
    assert MemberImport.objects.count() == 1
    assert not User.objects.filter(email="amina.diallo@example.org").exists()
    if who in ("moderator", "editor"):
        # They open the admin, but Wagtail turns the import pages' 403 into a redirect to the dashboard with
        # "you do not have permission", and the menu does not offer them.
        response = client.get(INDEX)
        assert (response.status_code, response["Location"]) == (302, "/admin/")
        assert INDEX not in client.get("/admin/").content.decode()


def test_officer_sees_the_imports_in_the_admin_menu(client, officer):
    client.force_login(officer)
    assert INDEX in client.get("/admin/").content.decode()


def test_services_refuse_people_without_an_import_role(member_of, officer, upload_and_check):
    from django.core.exceptions import PermissionDenied

    member_import = upload_and_check(THREE_ROWS, actor=officer)
    moderator = with_role(member_of("active").user, StaffRole.MODERATOR)
    with pytest.raises(PermissionDenied):
        imports.start_member_import(csv_upload(THREE_ROWS), actor=moderator)
    with pytest.raises(PermissionDenied):
        imports.confirm_member_import(member_import, actor=moderator)


# --- queries ---


def test_check_and_import_of_200_rows_use_a_constant_number_of_queries(
    officer, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    rows = [
        f"member{n}@example.org,First{n},Last{n},{('active', 'civilian', 'honorary', 'observer')[n % 4]},"
        f"{('KE', 'France', 'BRA')[n % 3]},Service,Rank,en;fr,2028-01-{n % 28 + 1:02d}"
        for n in range(200)
    ]
    # Without executing the on-commit callbacks, the tasks do not run: they are run below, measured.
    member_import = imports.start_member_import(csv_upload(rows), actor=officer)

    # Reference data, accounts with those addresses (users and addresses), progress, result: no query per row.
    with django_assert_max_num_queries(12):
        assert imports.check_member_import(member_import.pk) == ImportState.CHECKED
    member_import.refresh_from_db()
    assert member_import.errors == []

    imports.confirm_member_import(member_import, actor=officer)
    # SQLite takes at most 999 values per INSERT, so a few batches per table there; one per table on PostgreSQL.
    with django_assert_max_num_queries(30):
        assert imports.import_members(member_import.pk, actor_id=officer.pk) == ImportState.DONE
    assert Member.objects.filter(user__email__startswith="member").count() == 200
    assert Member.languages.through.objects.filter(member__user__email__startswith="member").count() == 400


# --- the member list's export can be imported again ---


def test_member_list_export_from_the_admin_can_be_imported_again(
    client, officer, member_of, django_capture_on_commit_callbacks
):
    member_of("honorary", country="KE", police_service="Kenya Police", rank="Commissioner")
    member_of("civilian", country="FR", membership_expires_on=datetime.date(2027, 1, 31))
    client.force_login(officer)
    response = client.get("/admin/membership/members/", {"export": "csv"})
    assert response.status_code == 200
    exported = b"".join(response.streaming_content).decode()
    # People not admitted yet (the officer here) are exported with an empty category, which the import refuses.
    exported = "".join(line for line in exported.splitlines(keepends=True) if officer.email not in line)
    # The same people under new addresses (the exported ones have accounts already).
    exported = exported.replace("@example.org", "@new.example.org")

    with django_capture_on_commit_callbacks(execute=True):
        member_import = imports.start_member_import(
            SimpleUploadedFile("members.csv", exported.encode(), content_type="text/csv"), actor=officer
        )
    member_import.refresh_from_db()
    assert member_import.errors == []
    rows = {row.email: row for row in imports.RowChecker().check(imports.read_stored_file(member_import).rows).rows}
    honorary = next(row for row in rows.values() if row.category == "honorary")
    assert (honorary.country, honorary.police_service, honorary.rank) == ("KE", "Kenya Police", "Commissioner")
    civilian = next(row for row in rows.values() if row.category == "civilian")
    assert (civilian.country, civilian.membership_expires_on) == ("FR", datetime.date(2027, 1, 31))


def test_unexpected_error_fails_the_import_instead_of_leaving_it_running(
    officer, upload_and_check, confirm, monkeypatch
):
    member_import = upload_and_check(THREE_ROWS, actor=officer)

    def crash(*args, **kwargs):
        raise RuntimeError("time limit")

    monkeypatch.setattr(imports, "create_imported_members", crash)
    member_import = confirm(member_import, actor=officer)
    assert member_import.state == ImportState.FAILED
    assert member_import.errors[0]["message"].startswith("Nothing was imported")
    assert not User.objects.filter(email="grace.otieno@example.org").exists()
