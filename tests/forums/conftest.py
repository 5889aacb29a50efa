import pytest

from network.choices import StaffRole
from tests.factories.forums import community_member, make_forum, network_member
from tests.factories.staff import make_staff
from tests.test_celery_worker import celery_worker  # noqa: F401 -- the real worker, for tests that ask for it


@pytest.fixture
def moderator(db):
    return make_staff(StaffRole.MODERATOR)


@pytest.fixture
def alice(moderator):
    return community_member(moderator, user__first_name="Alice", user__last_name="Mbeki")


@pytest.fixture
def beatrice(moderator):
    return community_member(moderator, user__first_name="Béatrice", user__last_name="Kaboré")


@pytest.fixture
def outsider(db):
    """A network member without Community of Practice access."""
    return network_member(user__first_name="Olga", user__last_name="Nowak")


@pytest.fixture
def forum(db):
    return make_forum()
