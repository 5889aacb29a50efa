import os

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.utils import translation

from config.celery import app as celery_app
from tests.factories import MemberFactory, UserFactory, home_pages  # noqa: F401

IN_CI = os.environ.get("CI", "").lower() == "true"


def require_service(name: str, available: bool, how: str) -> None:
    """Skip a test whose service is missing on a developer's machine; in CI a missing service fails."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"{name} is required in CI but is not available: {how}", pytrace=False)
    pytest.skip(f"{name} is not available ({how})")


def pytest_configure(config):
    # Real hashing costs half a second per account; tests create hundreds.
    django_settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_collection_modifyitems(config, items):
    # A transactional test (live server, real Celery worker) empties the database when it ends; serialized
    # rollback puts back what migrations created (root page, locales, reference lists, staff groups) for the
    # tests that follow.
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker is not None and marker.kwargs.get("transaction") and not marker.kwargs.get("serialized_rollback"):
            kwargs = {**marker.kwargs, "serialized_rollback": True}
            item.add_marker(pytest.mark.django_db(*marker.args, **kwargs), append=False)


def pytest_sessionstart(session):
    if IN_CI:
        engine = django_settings.DATABASES["default"]["ENGINE"]
        if "postgresql" not in engine:
            pytest.exit("CI=true: the suite must run on PostgreSQL (set DATABASE_URL)", returncode=3)
        if not django_settings.REDIS_URL:
            pytest.exit("CI=true: the suite must run with Redis (set REDIS_URL)", returncode=3)


@pytest.fixture(autouse=True)
def _isolated_cache_and_eager_tasks():
    # Rate limits and the page cache live in the cache: each test starts with none.
    cache.clear()
    # Tasks run inline unless a test starts a real worker (see tests/test_celery_worker.py).
    celery_app.conf.task_always_eager = True
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    # A request to a /fr/ page leaves French active in the thread; the next test starts in the default language.
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture
def password() -> str:
    return UserFactory.PASSWORD


@pytest.fixture
def site(db):
    return home_pages()


@pytest.fixture
def member_of():
    """member_of("active") → a Member of that category with a verified email address."""

    def make(category: str = "", **kwargs):
        return MemberFactory(category=category, **kwargs)

    return make


@pytest.fixture
def admin_client(client, member_of):
    """A signed-in superuser with a second factor (staff must have one before the Wagtail admin opens)."""
    from allauth.mfa.models import Authenticator

    user = member_of("").user
    user.is_superuser = user.is_staff = True
    user.save()
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"})
    client.force_login(user)
    return client
