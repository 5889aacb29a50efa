"""Services queue Celery tasks by name through `queue_task`, never by importing a tasks module.

Tasks import the services they call; if services imported tasks back, each would need the other to load
first. By name, the dependency runs one way. The task is sent once the surrounding transaction commits, so a
worker never looks for a row that is not there yet; the database row is what counts, the task only wakes a
worker up.
"""

from celery import current_app


def queue_task(name: str, *args) -> None:
    """Queue the task registered as `name` (e.g. "network.tasks.deliver_email") when the transaction commits."""
    if name not in current_app.tasks:
        # Celery autodiscovers the apps' tasks modules when a worker starts; a web process or a management
        # command has imported none of them until the first task it queues.
        current_app.loader.import_default_modules()
    current_app.tasks[name].delay_on_commit(*args)
