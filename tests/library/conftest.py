import pytest

from network.choices import MemberCategory, StaffRole
from tests.factories import MemberFactory
from tests.factories.forums import community_member, network_member
from tests.factories.staff import make_staff
from tests.test_celery_worker import celery_worker  # noqa: F401 -- the real worker, for tests that ask for it


@pytest.fixture
def editor(db):
    return make_staff(StaffRole.EDITOR)


@pytest.fixture
def observer(db):
    return MemberFactory(category=MemberCategory.OBSERVER).user


@pytest.fixture
def active(db):
    return network_member().user


@pytest.fixture
def community(db):
    return community_member().user


@pytest.fixture(autouse=True)
def _private_files_in_tmp(tmp_path, monkeypatch):
    """Library files of a test go to its own folder, not the checkout's var/private."""
    from network.models.accounts import private_storage

    monkeypatch.setattr(private_storage, "location", str(tmp_path / "private"))
    monkeypatch.setattr(private_storage, "base_location", str(tmp_path / "private"))
