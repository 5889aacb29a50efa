"""Our forums side by side with django-machina 1.3, django-spirit 0.14 and Misago 0.39 (on its own Django 4.2):
the forum index, a topic list (10,000 topics in one forum) and a topic page (a 500-post topic), each served by
gunicorn with the same settings (2 sync workers, wrk with 8 connections) from the same PostgreSQL server.

Each peer lives in its own virtual environment under var/bench/peers/<name>/ (made here, never a project
dependency), with a minimal Django project this script writes, its own database peacekeepers_bench_peer_<name>
and the same data loaded with bulk ORM inserts inside that venv: one forum of 10,000 topics, one topic of 500
posts (the same Markdown text, stored rendered as each engine stores it), 2,000 members. Ours is measured on
the forum benchmark's database (tests/bench/forum_bench.py; loaded first when missing). The peers run with
DEBUG off, local-memory caches and their default middleware; read state exists for ours only (2,000 members
with read-state rows), so the comparison favours the peers, if anything.

Run it with `make bench` or `.venv/bin/python tests/bench/forum_peers_bench.py [--only machina,spirit,misago]`.
Writes bench-results/forum-peers.md. Target: ours at least 3x the faster peer's requests/s on the topic list
and the topic page.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import psycopg
from psycopg import sql

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.bench import forum_bench as fb  # noqa: E402
from tests.bench import http_bench as hb  # noqa: E402

PEERS_ROOT = hb.PROJECT_ROOT / "var" / "bench" / "peers"
RESULTS_FILE = hb.PROJECT_ROOT / "bench-results" / "forum-peers.md"
PEER_LOG = hb.PROJECT_ROOT / "bench-results" / "forum-peers-gunicorn.log"
TARGET_RATIO = 3.0
TOPICS = 10_000
LONG_TOPIC_POSTS = 500
MEMBERS = 2_000
BODY = "We paired officers on the same routes for three months. **Reports doubled.** What worked for you?"
BODY_HTML = "<p>We paired officers on the same routes for three months. <strong>Reports doubled.</strong> What worked for you?</p>"
PAGES = ("index", "list", "topic")
# Text from the loaded data that each page must show (ours and every peer's) before it is measured: the forum's
# name on the index, a topic title on the list, the post body's bold words on the topic page.
CHECK_WORDS = {"index": "Benchmark forum", "list": "Lessons from mission", "topic": "Reports doubled"}
PAGE_LABELS = {"index": "forum index", "list": "topic list, page 1", "topic": "topic page, page 1"}


@dataclass(frozen=True)
class Peer:
    name: str
    label: str
    requirements: tuple[str, ...]
    settings: str
    urls: str
    loader: str


COMMON_SETTINGS = """
import os
DEBUG = False
SECRET_KEY = os.environ["PEER_SECRET_KEY"]
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "benchsite.urls"
WSGI_APPLICATION = "benchsite.wsgi.application"
DATABASES = {{"default": {{"ENGINE": "django.db.backends.postgresql", "NAME": os.environ["PEER_DATABASE"],
    "USER": "postgres", "HOST": "127.0.0.1", "PORT": "5432", "CONN_MAX_AGE": 60}}}}
USE_TZ = True
TIME_ZONE = "UTC"
LANGUAGE_CODE = "en"
STATIC_URL = "/static/"
STATIC_ROOT = os.path.join(os.path.dirname(os.path.dirname(__file__)), "static")
MEDIA_ROOT = os.path.join(os.path.dirname(os.path.dirname(__file__)), "media")
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGGING = {{"version": 1, "disable_existing_loggers": False, "root": {{"level": "WARNING"}}}}
"""

MACHINA = Peer(
    name="machina",
    label="django-machina 1.3",
    requirements=("django-machina==1.3.1", "Django>=5.2,<5.3", "psycopg[binary]>=3.2", "gunicorn"),
    settings=COMMON_SETTINGS
    + """
from machina import MACHINA_MAIN_STATIC_DIR, MACHINA_MAIN_TEMPLATE_DIR
INSTALLED_APPS = [
    "django.contrib.auth", "django.contrib.contenttypes", "django.contrib.sessions", "django.contrib.sites",
    "django.contrib.messages", "django.contrib.staticfiles", "django.contrib.admin",
    "mptt", "haystack", "widget_tweaks",
    "machina", "machina.apps.forum", "machina.apps.forum_conversation",
    "machina.apps.forum_conversation.forum_attachments", "machina.apps.forum_conversation.forum_polls",
    "machina.apps.forum_feeds", "machina.apps.forum_moderation", "machina.apps.forum_search",
    "machina.apps.forum_tracking", "machina.apps.forum_member", "machina.apps.forum_permission",
]
SITE_ID = 1
MIDDLEWARE = [
    "django.middleware.common.CommonMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "machina.apps.forum_permission.middleware.ForumPermissionMiddleware",
]
TEMPLATES = [{{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "DIRS": [MACHINA_MAIN_TEMPLATE_DIR],
    "APP_DIRS": True,
    "OPTIONS": {{"context_processors": [
        "django.contrib.auth.context_processors.auth", "django.template.context_processors.i18n",
        "django.template.context_processors.media", "django.template.context_processors.static",
        "django.contrib.messages.context_processors.messages", "django.template.context_processors.request",
        "machina.core.context_processors.metadata",
    ]}},
}}]
STATICFILES_DIRS = [MACHINA_MAIN_STATIC_DIR]
CACHES = {{
    "default": {{"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
    "machina_attachments": {{"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "attachments"}},
}}
HAYSTACK_CONNECTIONS = {{"default": {{"ENGINE": "haystack.backends.simple_backend.SimpleEngine"}}}}
LOGIN_URL = "/accounts/login/"
MACHINA_DEFAULT_AUTHENTICATED_USER_FORUM_PERMISSIONS = [
    "can_see_forum", "can_read_forum", "can_start_new_topics", "can_reply_to_topics", "can_edit_own_posts",
    "can_post_without_approval", "can_create_polls", "can_vote_in_polls", "can_download_file",
]
""",
    urls="""
from django.contrib import admin
from django.urls import include, path
from machina import urls as machina_urls
urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("forum/", include(machina_urls)),
]
""",
    loader="""
from django.contrib.auth.models import User
from django.urls import reverse
from machina.apps.forum.models import Forum
from machina.apps.forum_conversation.models import Post, Topic

forum = Forum.objects.create(name="Benchmark forum", slug="benchmark-forum", type=Forum.FORUM_POST)
users = make_users(User)
topics = []
for start in range(0, TOPICS, BATCH):
    chunk = Topic.objects.bulk_create([
        Topic(forum=forum, poster=users[n % len(users)], subject=title(n), slug=f"lessons-{n}",
              type=Topic.TOPIC_POST, status=Topic.TOPIC_UNLOCKED, approved=True, posts_count=1,
              last_post_on=moment(n))
        for n in range(start, min(start + BATCH, TOPICS))
    ])
    posts = Post.objects.bulk_create([
        Post(topic=topic, poster=topic.poster, subject=topic.subject, content=BODY, _content_rendered=BODY_HTML,
             approved=True)
        for topic in chunk
    ])
    for topic, post in zip(chunk, posts):
        topic.first_post = topic.last_post = post
    Topic.objects.bulk_update(chunk, ["first_post", "last_post"])
    topics += chunk
long_topic = topics[-1]
extra = Post.objects.bulk_create([
    Post(topic=long_topic, poster=users[n % len(users)], subject=long_topic.subject, content=BODY,
         _content_rendered=BODY_HTML, approved=True)
    for n in range(LONG_TOPIC_POSTS - 1)
])
Topic.objects.filter(pk=long_topic.pk).update(posts_count=LONG_TOPIC_POSTS, last_post=extra[-1])
Forum.objects.filter(pk=forum.pk).update(
    direct_topics_count=TOPICS, direct_posts_count=TOPICS + LONG_TOPIC_POSTS - 1, last_post=extra[-1],
    last_post_on=moment(TOPICS))
urls = {
    "index": reverse("forum:index"),
    "list": reverse("forum:forum", kwargs={"slug": forum.slug, "pk": forum.pk}),
    "topic": reverse("forum_conversation:topic", kwargs={
        "forum_slug": forum.slug, "forum_pk": forum.pk, "slug": long_topic.slug, "pk": long_topic.pk}),
}
""",
)

SPIRIT = Peer(
    name="spirit",
    label="django-spirit 0.14",
    requirements=("django-spirit==0.14.3", "Django>=5.2,<5.3", "psycopg[binary]>=3.2", "gunicorn"),
    settings=COMMON_SETTINGS
    + """
INSTALLED_APPS = [
    "django.contrib.admin", "django.contrib.auth", "django.contrib.contenttypes", "django.contrib.sessions",
    "django.contrib.messages", "django.contrib.staticfiles", "django.contrib.humanize",
    "spirit.core", "spirit.admin", "spirit.search", "spirit.user", "spirit.user.admin", "spirit.user.auth",
    "spirit.category", "spirit.category.admin", "spirit.topic", "spirit.topic.admin", "spirit.topic.favorite",
    "spirit.topic.moderate", "spirit.topic.notification", "spirit.topic.private", "spirit.topic.unread",
    "spirit.comment", "spirit.comment.bookmark", "spirit.comment.flag", "spirit.comment.flag.admin",
    "spirit.comment.history", "spirit.comment.like", "spirit.comment.poll", "djconfig", "haystack",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "spirit.user.middleware.TimezoneMiddleware",
    "spirit.user.middleware.LastIPMiddleware",
    "spirit.user.middleware.LastSeenMiddleware",
    "spirit.user.middleware.ActiveUserMiddleware",
    "spirit.core.middleware.PrivateForumMiddleware",
    "djconfig.middleware.DjConfigMiddleware",
]
TEMPLATES = [{{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "APP_DIRS": True,
    "OPTIONS": {{"context_processors": [
        "django.contrib.auth.context_processors.auth", "django.template.context_processors.i18n",
        "django.template.context_processors.media", "django.template.context_processors.static",
        "django.template.context_processors.tz", "django.template.context_processors.request",
        "django.contrib.messages.context_processors.messages", "djconfig.context_processors.config",
    ]}},
}}]
CACHES = {{
    "default": {{"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
    "st_rate_limit": {{"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "rl", "TIMEOUT": None}},
}}
AUTHENTICATION_BACKENDS = ["spirit.user.auth.backends.UsernameAuthBackend", "spirit.user.auth.backends.EmailAuthBackend"]
HAYSTACK_CONNECTIONS = {{"default": {{"ENGINE": "haystack.backends.simple_backend.SimpleEngine"}}}}
HAYSTACK_SIGNAL_PROCESSOR = "haystack.signals.BaseSignalProcessor"
HUEY = {{"huey_class": "huey.MemoryHuey", "immediate": True, "immediate_use_memory": True}}
LOGIN_URL = "spirit:user:auth:login"
ST_SITE_URL = "http://127.0.0.1/"
STORAGES = {{
    "default": {{"BACKEND": "django.core.files.storage.FileSystemStorage"}},
    "staticfiles": {{"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}},
}}
""",
    urls="""
from django.urls import include, path
import spirit.urls
urlpatterns = [path("", include(spirit.urls))]
""",
    loader="""
from django.contrib.auth.models import User
from django.urls import reverse
from spirit.category.models import Category
from spirit.comment.models import Comment
from spirit.topic.models import Topic
from spirit.user.models import UserProfile

category = Category.objects.create(title="Benchmark forum", slug="benchmark-forum", description="10,000 topics")
users = make_users(User)
UserProfile.objects.bulk_create(
    [UserProfile(user=user, nickname=user.username, slug=user.username, is_verified=True) for user in users],
    ignore_conflicts=True)
# Fresh user objects: the ones above cache a profile without its primary key (ignore_conflicts returns none),
# and signing in saves that cached profile again (spirit.user.signals), which would insert it a second time.
users = list(User.objects.select_related("st").order_by("pk"))
topics = []
for start in range(0, TOPICS, BATCH):
    chunk = Topic.objects.bulk_create([
        Topic(user=users[n % len(users)], category=category, title=title(n), slug=f"lessons-{n}",
              date=moment(n), last_active=moment(n), comment_count=1)
        for n in range(start, min(start + BATCH, TOPICS))
    ])
    Comment.objects.bulk_create([
        Comment(user=topic.user, topic=topic, comment=BODY, comment_html=BODY_HTML, date=topic.date)
        for topic in chunk
    ])
    topics += chunk
long_topic = topics[-1]
Comment.objects.bulk_create([
    Comment(user=users[n % len(users)], topic=long_topic, comment=BODY, comment_html=BODY_HTML, date=moment(TOPICS))
    for n in range(LONG_TOPIC_POSTS - 1)
])
Topic.objects.filter(pk=long_topic.pk).update(comment_count=LONG_TOPIC_POSTS)
urls = {
    # Spirit's own front page (its category index template is an empty placeholder in 0.14): the active
    # topics of every category, with the category menu.
    "index": reverse("spirit:index"),
    "list": reverse("spirit:category:detail", kwargs={"pk": category.pk, "slug": category.slug}),
    "topic": reverse("spirit:topic:detail", kwargs={"pk": long_topic.pk, "slug": long_topic.slug}),
}
""",
)

MISAGO = Peer(
    name="misago",
    label="Misago 0.39",
    # Misago 0.39 pins Django 4.2 (and psycopg 3.1): its own venv keeps that away from ours.
    requirements=("misago==0.39.6", "gunicorn"),
    settings=COMMON_SETTINGS
    + """
from misago.settings import *  # noqa: F403 -- Misago's INSTALLED_APPS and context processors
AUTH_USER_MODEL = "misago_users.User"
AUTHENTICATION_BACKENDS = ["misago.users.authbackends.MisagoBackend"]
CSRF_FAILURE_VIEW = "misago.core.errorpages.csrf_failure"
LOGIN_REDIRECT_URL = "misago:index"
LOGIN_URL = "misago:login"
LOGOUT_URL = "misago:logout"
MIDDLEWARE = [
    "misago.users.middleware.RealIPMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "misago.cache.middleware.cache_versions_middleware",
    "misago.conf.middleware.dynamic_settings_middleware",
    "misago.socialauth.middleware.socialauth_providers_middleware",
    "misago.users.middleware.UserMiddleware",
    "misago.acl.middleware.user_acl_middleware",
    "misago.core.middleware.ExceptionHandlerMiddleware",
    "misago.users.middleware.OnlineTrackerMiddleware",
    "misago.admin.middleware.AdminAuthMiddleware",
    "misago.threads.middleware.UnreadThreadsCountMiddleware",
    "misago.core.middleware.FrontendContextMiddleware",
]
TEMPLATES = [{{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "DIRS": [],
    "APP_DIRS": True,
    "OPTIONS": {{"context_processors": TEMPLATE_CONTEXT_PROCESSORS}},
}}]
CACHES = {{"default": {{"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}}}
REST_FRAMEWORK = {{
    "DEFAULT_PERMISSION_CLASSES": ["misago.core.rest_permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "EXCEPTION_HANDLER": "misago.core.exceptionhandler.handle_api_exception",
    "UNAUTHENTICATED_USER": "misago.users.models.AnonymousUser",
    "URL_FORMAT_OVERRIDE": None,
}}
SOCIAL_AUTH_STRATEGY = "misago.socialauth.strategy.MisagoStrategy"
SOCIAL_AUTH_JSONFIELD_ENABLED = True
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = "memory://"
MISAGO_SEARCH_CONFIG = "simple"
MISAGO_USER_DATA_DOWNLOADS_WORKING_DIR = os.path.join(os.path.dirname(os.path.dirname(__file__)), "userdata")
MISAGO_AVATAR_GALLERY = os.path.join(os.path.dirname(os.path.dirname(__file__)), "avatargallery")
""",
    urls="""
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
urlpatterns = [
    path("", include("misago.urls", namespace="misago")),
    path("", include("social_django.urls", namespace="social")),
    # Misago's base template links its JavaScript translations by this name.
    path("django-i18n.js", JavaScriptCatalog.as_view(packages=["misago"]), name="django-i18n"),
]
""",
    loader="""
from django.contrib.auth import get_user_model
from django.urls import reverse
from misago.categories.models import Category
from misago.threads.checksums import update_post_checksum
from misago.threads.models import Post, Thread

User = get_user_model()
# Misago's own way in (rank, roles, ACL key, online row); every member gets the same avatar URLs.
for n in range(MEMBERS):
    User.objects.create_user(f"member{n}", f"member{n}@example.org", "bench-password")
AVATARS = [{"size": size, "url": "/static/misago/img/blank-avatar.png"} for size in (400, 200, 150, 100, 64, 50, 30)]
User.objects.update(avatars=AVATARS)
users = list(User.objects.order_by("pk"))
category = Category.objects.all_categories().get(slug="first-category")  # its permissions come with it
category.name, category.slug = "Benchmark forum", "benchmark-forum"
category.save()


def make_post(thread, user):
    return Post(category=category, thread=thread, poster=user, poster_name=user.username, original=BODY,
                parsed=BODY_HTML, search_document=BODY, search_vector="", posted_on=thread.started_on,
                updated_on=thread.started_on)


topics = []
for start in range(0, TOPICS, BATCH):
    chunk = Thread.objects.bulk_create([
        Thread(category=category, title=title(n), slug=f"lessons-{n}", started_on=moment(n), last_post_on=moment(n),
               starter=users[n % len(users)], starter_name=users[n % len(users)].username,
               starter_slug=users[n % len(users)].slug, last_poster=users[n % len(users)],
               last_poster_name=users[n % len(users)].username, last_poster_slug=users[n % len(users)].slug)
        for n in range(start, min(start + BATCH, TOPICS))
    ])
    posts = Post.objects.bulk_create([make_post(thread, thread.starter) for thread in chunk])
    for thread, post in zip(chunk, posts):
        thread.first_post = thread.last_post = post
        update_post_checksum(post)
    Post.objects.bulk_update(posts, ["checksum"])
    Thread.objects.bulk_update(chunk, ["first_post", "last_post"])
    topics += chunk
long_topic = topics[-1]
extra = Post.objects.bulk_create([make_post(long_topic, users[n % len(users)]) for n in range(LONG_TOPIC_POSTS - 1)])
for post in extra:
    update_post_checksum(post)
Post.objects.bulk_update(extra, ["checksum"])
Thread.objects.filter(pk=long_topic.pk).update(replies=LONG_TOPIC_POSTS - 1, last_post=extra[-1])
category.synchronize()
category.save()
long_topic.refresh_from_db()
urls = {
    "index": reverse("misago:index"),
    "list": category.get_absolute_url(),
    "topic": long_topic.get_absolute_url(),
}
""",
)

PEERS = {peer.name: peer for peer in (MACHINA, SPIRIT, MISAGO)}

LOADER_PREAMBLE = f"""
import datetime, json, os, sys
import django
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchsite.settings")
django.setup()
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.test import Client
from django.utils import timezone

TOPICS, LONG_TOPIC_POSTS, MEMBERS, BATCH = {TOPICS}, {LONG_TOPIC_POSTS}, {MEMBERS}, 5000
BODY, BODY_HTML = {BODY!r}, {BODY_HTML!r}
NOW = timezone.now()


def title(n):
    return f"Lessons from mission {{n}}: patrols, reporting and trust"


def moment(n):
    return NOW - datetime.timedelta(minutes=TOPICS - n)


def make_users(User):
    password = make_password("bench-password")
    User.objects.bulk_create([
        User(username=f"member{{n}}", email=f"member{{n}}@example.org", password=password, first_name="Member",
             last_name=str(n))
        for n in range(MEMBERS)
    ])
    return list(User.objects.order_by("pk"))
"""

LOADER_END = """
with connection.cursor() as cursor:
    cursor.execute("VACUUM (ANALYZE)")  # as ours (tests/bench/forum_data.py): what autovacuum would have done
client = Client()
client.force_login(users[0])
from django.conf import settings
print("PEER-DATA", json.dumps({"urls": urls, "cookie": {settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value}}))
"""

WSGI = """
import gc, os
from django.core.wsgi import get_wsgi_application
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchsite.settings")
application = get_wsgi_application()
gc.freeze()  # as ours (config/wsgi.py), so both sides get the same garbage-collector treatment
"""


def say(text: str) -> None:
    print(text, flush=True)


def peer_database(peer: Peer) -> str:
    return f"{hb.DATABASE_NAME}_peer_{peer.name}"


def make_venv(peer: Peer) -> Path:
    """var/bench/peers/<name>/venv with the peer's packages (kept between runs; reinstalled when missing)."""
    venv = PEERS_ROOT / peer.name / "venv"
    python = venv / "bin" / "python"
    marker = venv / "requirements.txt"
    wanted = "\n".join(peer.requirements)
    if python.exists() and marker.exists() and marker.read_text() == wanted:
        return python
    base_python = getattr(sys, "_base_executable", sys.executable)
    uv = shutil.which("uv") or str(hb.PROJECT_ROOT / ".tools" / "bin" / "uv")
    say(f"  creating {venv.relative_to(hb.PROJECT_ROOT)} ({', '.join(peer.requirements)}) …")
    if Path(uv).exists():
        hb.run([uv, "venv", "--quiet", "--allow-existing", "--python", base_python, str(venv)])
        hb.run([uv, "pip", "install", "--quiet", "--python", str(python), *peer.requirements])
    else:
        hb.run([base_python, "-m", "venv", str(venv)])
        hb.run([str(python), "-m", "pip", "install", "--quiet", *peer.requirements])
    marker.write_text(wanted)
    return python


def write_project(peer: Peer) -> Path:
    project = PEERS_ROOT / peer.name / "project"
    package = project / "benchsite"
    package.mkdir(parents=True, exist_ok=True)
    (package / "__init__.py").write_text("")
    (package / "settings.py").write_text(textwrap.dedent(peer.settings.format()))
    (package / "urls.py").write_text(textwrap.dedent(peer.urls))
    (package / "wsgi.py").write_text(WSGI)
    (project / "manage.py").write_text(
        "import os, sys\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'benchsite.settings')\n"
        "from django.core.management import execute_from_command_line\nexecute_from_command_line(sys.argv)\n"
    )
    (project / "load.py").write_text(LOADER_PREAMBLE + textwrap.dedent(peer.loader) + LOADER_END)
    return project


def reset_peer_database(name: str) -> None:
    with psycopg.connect(hb.POSTGRES_ADMIN_URL, autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def peer_environment(peer: Peer, secret_key: str) -> dict[str, str]:
    environment = {name: value for name, value in os.environ.items() if name not in hb.UNSET_VARIABLES}
    for name in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "VIRTUAL_ENV", "PYTHONPATH"):
        environment.pop(name, None)
    environment.update(PEER_SECRET_KEY=secret_key, PEER_DATABASE=peer_database(peer), PYTHONUNBUFFERED="1")
    return environment


def prepare_peer(peer: Peer, environment: dict[str, str]) -> tuple[Path, dict]:
    python = make_venv(peer)
    project = write_project(peer)
    say(f"  database {peer_database(peer)}: migrate and load {TOPICS:,} topics, a {LONG_TOPIC_POSTS}-post topic …")
    reset_peer_database(peer_database(peer))
    completed = subprocess.run(  # noqa: S603 -- fixed commands
        [str(python), "manage.py", "migrate", "--noinput"], cwd=project, env=environment, capture_output=True, text=True
    )
    if completed.returncode != 0:
        raise hb.BenchError(f"{peer.label}: migrate failed:\n{(completed.stdout + completed.stderr)[-3000:]}")
    completed = subprocess.run(  # noqa: S603
        [str(python), "load.py"], cwd=project, env=environment, capture_output=True, text=True
    )
    if completed.returncode != 0:
        raise hb.BenchError(f"{peer.label}: loading failed:\n{(completed.stdout + completed.stderr)[-3000:]}")
    for line in completed.stdout.splitlines():
        if line.startswith("PEER-DATA "):
            return python, json.loads(line.split(" ", 1)[1])
    raise hb.BenchError(f"{peer.label}: no PEER-DATA line:\n{completed.stdout[-2000:]}")


class PeerServer(hb.GunicornServer):
    """gunicorn from the peer's venv, in its project, with the same worker settings as ours."""

    def __init__(self, python: Path, project: Path, environment: dict[str, str], port: int, ready_path: str):
        super().__init__(environment, port)
        self.python, self.project, self.ready_path = python, project, ready_path

    def __enter__(self) -> PeerServer:
        PEER_LOG.parent.mkdir(exist_ok=True)
        self.log_file = PEER_LOG.open("ab")
        command = [
            str(self.python.parent / "gunicorn"),
            "benchsite.wsgi:application",
            f"--workers={hb.WORKERS}",
            f"--bind=127.0.0.1:{self.port}",
            "--log-level=warning",
        ]
        self.process = subprocess.Popen(  # noqa: S603 -- fixed command, no shell
            command,
            cwd=self.project,
            env=self.environment,
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        status = None
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise hb.BenchError(f"gunicorn exited with code {self.process.returncode}: see {PEER_LOG}")
            try:
                if len(self.worker_pids()) == hb.WORKERS:
                    status = hb.http_get(self.port, self.ready_path, {})[0]
                    if status < 500:
                        return self
            except OSError:
                pass
            time.sleep(0.3)
        self.__exit__(None, None, None)  # no server left behind
        raise hb.BenchError(
            f"gunicorn for {self.project} did not answer {self.ready_path} without an error within 60 s "
            f"(last status {status}): see {PEER_LOG}"
        )

    def cpu_seconds(self) -> float:
        assert self.process is not None
        master = self.process.pid
        database = self.environment["PEER_DATABASE"]
        return sum(
            process.cpu_seconds
            for process in hb.list_processes()
            if master in (process.pid, process.parent_pid)
            or (process.name == "postgres" and database in process.command_line())
        )


def load_pages(server, wrk: str, script: Path, endpoints: dict[str, hb.Endpoint], cookies) -> dict:
    results = {}
    for key, endpoint in endpoints.items():
        say(f"    {endpoint.label} ({endpoint.path}) …")
        endpoint_cookies = hb.verify_endpoint(server.port, endpoint, cookies)
        hb.run_wrk(wrk, script, server.port, endpoint, endpoint_cookies, hb.WARMUP_SECONDS)
        run = partial(hb.run_wrk, wrk, script, server.port, endpoint, endpoint_cookies, hb.MEASURE_SECONDS)
        results[key] = hb.measure(server, run)
    return results


def measure_ours(wrk: str, script: Path, secret_key: str, private_redis) -> dict:
    development = hb.bench_environment(production=False, secret_key=secret_key, redis_url=private_redis.url)
    production = hb.bench_environment(production=True, secret_key=secret_key, redis_url=private_redis.url)
    data = fb.existing_data(development)
    if data is None:
        say(f"  recreating {hb.DATABASE_NAME} with the forum benchmark's data …")
        hb.reset_database()
        hb.prepare_site(development=development, production=production)
        data = fb.load_data(development)
    else:
        hb.run([sys.executable, "manage.py", "collectstatic", "--noinput"], env=production)
    cookies = hb.create_member_session(production)
    endpoints = {
        key: hb.Endpoint(key, PAGE_LABELS[key], path, logged_in=True, must_contain=CHECK_WORDS[key])
        for key, path in {
            "index": "/en/forums/",
            "list": f"/en/forums/{data['forum']}/",
            "topic": f"/en/forums/topics/{data['long_topic']}/",
        }.items()
    }
    with hb.GunicornServer(production, hb.free_port()) as server:
        return load_pages(server, wrk, script, endpoints, cookies)


def measure_peer(peer: Peer, wrk: str, script: Path, secret_key: str) -> dict:
    environment = peer_environment(peer, secret_key)
    python, data = prepare_peer(peer, environment)
    endpoints = {
        key: hb.Endpoint(key, PAGE_LABELS[key], path, logged_in=True, must_contain=CHECK_WORDS[key])
        for key, path in data["urls"].items()
    }
    project = PEERS_ROOT / peer.name / "project"
    with PeerServer(python, project, environment, hb.free_port(), data["urls"]["index"]) as server:
        return load_pages(server, wrk, script, endpoints, data["cookie"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default=",".join(PEERS), help="peers to measure, comma-separated")
    options = parser.parse_args()
    started = time.monotonic()
    results: dict[str, dict] = {}
    failures: dict[str, str] = {}
    try:
        hb.check_services()
        wrk = hb.find_wrk()
        secret_key = secrets.token_urlsafe(48)
        with hb.PrivateRedis() as private_redis, tempfile.TemporaryDirectory(prefix="forum-peers-") as scratch:
            script = Path(scratch) / "report.lua"
            script.write_text(hb.WRK_SCRIPT)
            say("Ours (peacekeepers forums) …")
            results["ours"] = measure_ours(wrk, script, secret_key, private_redis)
            for name in [name for name in options.only.split(",") if name]:
                peer = PEERS[name]
                say(f"{peer.label} …")
                try:
                    results[name] = measure_peer(peer, wrk, script, secret_key)
                except hb.BenchError as error:
                    failures[name] = str(error)
                    say(f"  FAILED: {error}")
    except hb.BenchError as error:
        print(f"\nBenchmark failed: {error}", file=sys.stderr)
        return 1
    text = report(results, failures)
    RESULTS_FILE.parent.mkdir(exist_ok=True)
    RESULTS_FILE.write_text(text)
    print()
    print(text)
    print(f"Written to {RESULTS_FILE.relative_to(hb.PROJECT_ROOT)} in {time.monotonic() - started:.0f} s.")
    return 0


def report(results: dict[str, dict], failures: dict[str, str]) -> str:
    labels = {"ours": "ours", **{name: peer.label for name, peer in PEERS.items()}}
    lines = [
        "# Forums side by side",
        "",
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} · revision {hb.git_revision()} · gunicorn "
        f"{hb.WORKERS} sync workers, wrk {hb.CONNECTIONS} connections, {hb.MEASURE_SECONDS} s per page, one "
        f"PostgreSQL server (a database each) · {os.cpu_count()} CPUs, load average {hb.load_average():.2f} at the end",
        "",
        f"Data, the same for each: 1 forum with {TOPICS:,} topics, a topic with {LONG_TOPIC_POSTS} posts, "
        f"{MEMBERS:,} members (ours also has read state for them).",
        "",
        "| forum | page | requests/s | p50 ms | p95 ms | non-2xx | other processes' CPU |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, pages in results.items():
        for key, result in pages.items():
            lines.append(
                f"| {labels[name]} | {PAGE_LABELS[key]} | {result.requests_per_second:,.0f} | {result.p50_ms:.1f} | "
                f"{result.p95_ms:.1f} | {result.non_2xx} | {result.other_cpu_share:.0%} |"
            )
    peers = [name for name in results if name != "ours"]
    if "ours" in results and peers:
        lines.append("")
        for key in ("list", "topic"):
            fastest = max(peers, key=lambda name: results[name][key].requests_per_second)
            ratio = results["ours"][key].requests_per_second / results[fastest][key].requests_per_second
            lines.append(
                f"- {PAGE_LABELS[key]}: ours / fastest peer ({labels[fastest]}) = {ratio:.2f}x "
                f"(target >= {TARGET_RATIO:.0f}x) — {hb.verdict(ratio >= TARGET_RATIO)}"
            )
    for name, error in failures.items():
        lines.append(f"- {labels.get(name, name)}: not measured — {error.splitlines()[0]}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
