from tests.test_celery_worker import celery_worker  # noqa: F401 -- the real worker, for tests that ask for it
