import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from wagtail.models import Page

from cms.models import HomePage
from network import permissions
from network.choices import MemberCategory, StaffRole
from network.models import CommunityAccessRequest, Member, User

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_every_category_and_staff_role_once(capsys):
    call_command("seed_demo")
    first = (User.objects.count(), Member.objects.count(), Page.objects.count())
    call_command("seed_demo")
    assert (User.objects.count(), Member.objects.count(), Page.objects.count()) == first

    categories = set(Member.objects.exclude(category="").values_list("category", flat=True))
    assert categories == set(MemberCategory.values)
    for role in StaffRole:
        assert User.objects.filter(groups__name=role.value).exists(), role
    assert not EmailAddress.objects.filter(verified=False).exists()
    assert set(HomePage.objects.values_list("locale__language_code", flat=True)) == {"en", "fr"}
    output = capsys.readouterr().out
    assert "peacekeepers-demo-2014" in output
    assert "editor@example.org" in output


def test_seeded_demo_member_can_log_in_and_see_profile(client):
    call_command("seed_demo", quiet_passwords=True)
    assert client.login(email="amina.diallo@example.org", password="peacekeepers-demo-2014")
    page = client.get("/en/members/me/").content.decode()
    assert "Amina Diallo" in page
    assert "MINUSCA" in page


def test_seed_demo_refuses_to_run_in_production(monkeypatch):
    from django.core.management.base import CommandError

    monkeypatch.setenv("DJANGO_ENV", "production")
    with pytest.raises(CommandError, match="refuses to run in production"):
        call_command("seed_demo")


def test_seed_demo_seeds_one_account_at_every_level_and_prints_what_each_can_do(capsys):
    call_command("seed_demo")
    output = capsys.readouterr().out
    rows = {line.split()[0]: line for line in output.splitlines() if "@example.org" in line}
    levels = {email: line.split()[1] for email, line in rows.items()}
    assert {"observer", "network", "community", "lapsed", "applicant"} <= set(levels.values())
    for role in StaffRole:
        assert f"staff: {role.label.lower()}" in output, role
    assert "Account" in output and "What it can do" in output

    community = [email for email, level in levels.items() if level == "community"]
    assert community
    assert permissions.can_enter_community(User.objects.get(email=community[0]))
    network = [email for email, level in levels.items() if level == "network"]
    assert not permissions.can_enter_community(User.objects.get(email=network[0]))
    lapsed = User.objects.get(email=next(email for email, level in levels.items() if level == "lapsed"))
    assert not permissions.can_view_directory(lapsed)
    # Running again neither fails nor asks for access a second time.
    call_command("seed_demo", quiet_passwords=True)
    assert CommunityAccessRequest.objects.filter(member__user__email=community[0]).count() == 1


def test_seeded_community_member_can_open_the_community_of_practice(client):
    call_command("seed_demo", quiet_passwords=True)
    client.login(email="maria.santos@example.org", password="peacekeepers-demo-2014")
    assert client.get("/en/members/community/home/").status_code == 200
