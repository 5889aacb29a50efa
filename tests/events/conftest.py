import pytest

from network.choices import StaffRole
from tests.factories.events import make_index
from tests.factories.staff import make_staff
from tests.test_celery_worker import celery_worker  # noqa: F401 -- the real worker, for tests that ask for it


@pytest.fixture
def index(site):
    return make_index(site["en"])


@pytest.fixture
def organiser(db):
    return make_staff(StaffRole.TRAINING_ORGANISER)
