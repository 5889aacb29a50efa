"""CSV import of existing members: every row is checked first (a dry run), then all rows are imported at once.

The flow: `start_member_import` stores the uploaded file and queues the check; `check_member_import` (a task)
stores the per-row errors and progress; `confirm_member_import` queues the import once the file has no
errors; `import_members` (a task) checks the rows again and creates every account in one transaction, so a
row that became invalid in between leaves nothing half-imported.
"""

from __future__ import annotations

import csv
import io
import logging
import re
import secrets
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import PurePath

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import DatabaseError, transaction
from django.db.models.functions import Lower
from django.template.defaultfilters import filesizeformat
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django_countries import countries

from network.choices import AuditAction, ImportState, MemberCategory
from network.models import CategoryChange, Language, Member, MemberImport, User
from network.permissions import check_can_import_members
from network.services.audit import record_audit
from network.tasks_queue import queue_task

logger = logging.getLogger(__name__)

REQUIRED_COLUMNS = ("email", "first_name", "last_name", "category")
OPTIONAL_COLUMNS = ("country", "police_service", "rank", "languages", "membership_expires_on")
IMPORT_COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_ROWS = 50_000
PREVIEW_ROWS = 20
# A file where every row is wrong would otherwise store hundreds of thousands of messages.
MAX_STORED_ERRORS = 1_000
PROGRESS_EVERY = 500
# Below SQLite's 999 variables per query.
LOOKUP_CHUNK = 900
BULK_BATCH = 1_000

MAX_LENGTHS = {"first_name": 150, "last_name": 150, "police_service": 200, "rank": 100}
LANGUAGE_SEPARATOR = ";"
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class ImportFileError(Exception):
    """The uploaded file cannot be imported at all (encoding, header, size); the message says why."""


class ImportNotReady(Exception):
    """The import cannot be confirmed in its current state; the message says why."""


# --- reading the file ------------------------------------------------------------------------------


# The headings of the member list's CSV export in the Wagtail admin (network/views/membership_admin.py), in
# English and in the staff's language, so that an exported file can be imported again.
COLUMN_HEADINGS = {
    "email": (gettext_lazy("Email"), gettext_lazy("Email address")),
    "first_name": (gettext_lazy("First name"),),
    "last_name": (gettext_lazy("Last name"),),
    "category": (gettext_lazy("Category"),),
    "country": (gettext_lazy("Country"),),
    "police_service": (gettext_lazy("Police service or employer"), gettext_lazy("Police service")),
    "rank": (gettext_lazy("Rank or title"), gettext_lazy("Rank")),
    "languages": (gettext_lazy("Languages"),),
    "membership_expires_on": (gettext_lazy("Membership expires on"),),
}


def normalise_column(name: str) -> str:
    """The heading as a column name: "First name", "first-name" and "FIRST_NAME" all give `first_name`."""
    return re.sub(r"[\s\-]+", "_", name.strip().lower())


def column_names() -> dict[str, str]:
    """Normalised heading → column, for the column names themselves and the export's headings."""
    names = {column: column for column in IMPORT_COLUMNS}
    for language in ("en", translation.get_language() or "en"):
        with translation.override(language):
            for column, headings in COLUMN_HEADINGS.items():
                names.update({normalise_column(str(heading)): column for heading in headings})
    return names


@dataclass
class ParsedFile:
    columns: list[str]
    # (row number as a spreadsheet shows it, the header being row 1; values by column; extra values)
    rows: list[tuple[int, dict[str, str], bool]]

    @property
    def ignored_columns(self) -> list[str]:
        return [column for column in self.columns if column and column not in IMPORT_COLUMNS]


def _guess_delimiter(header_line: str) -> str:
    # Spreadsheets in many locales (French among them) save "CSV" with semicolons.
    counts = {delimiter: header_line.count(delimiter) for delimiter in (",", ";", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def parse_import_file(data: bytes, *, max_rows: int | None = None) -> ParsedFile:
    """Decode and split a CSV file; raise ImportFileError when it cannot be imported at all."""
    max_rows = MAX_ROWS if max_rows is None else max_rows
    if len(data) > MAX_FILE_BYTES:
        raise ImportFileError(file_too_large_message())
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError(
            _(
                "The file is not UTF-8 text. In your spreadsheet, save it as “CSV UTF-8 (comma delimited)” "
                "and upload it again."
            )
        ) from error
    if not text.strip():
        raise ImportFileError(_("The file is empty."))
    header_line = text.lstrip().split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_guess_delimiter(header_line))
    columns: list[str] | None = None
    rows = []
    try:
        # Records are read one by one: a file of millions of short lines stops at the row limit.
        # Row numbers count every record, blank ones too, as a spreadsheet shows them.
        for number, record in enumerate(reader, start=1):
            if not any(value.strip() for value in record):
                continue
            if columns is None:
                columns = _header_columns(record)
                continue
            values = {
                column: record[position].strip() if position < len(record) else ""
                for position, column in enumerate(columns)
            }
            extra = any(value.strip() for value in record[len(columns) :])
            rows.append((number, values, extra))
            if len(rows) > max_rows:
                raise ImportFileError(
                    _("The file has more than %(max)s rows. Split it into smaller files.") % {"max": f"{max_rows:,}"}
                )
    except csv.Error as error:
        raise ImportFileError(_("The file is not a readable CSV file (%(error)s).") % {"error": error}) from error
    if columns is None:
        raise ImportFileError(_("The file is empty."))
    if not rows:
        raise ImportFileError(_("The file has a header but no rows of members."))
    return ParsedFile(columns=columns, rows=rows)


def _header_columns(record: list[str]) -> list[str]:
    names = column_names()
    columns = [names.get(heading, heading) for heading in map(normalise_column, record)]
    known = [column for column in columns if column in IMPORT_COLUMNS]
    if not known:
        raise ImportFileError(
            _("The first row must be a header with the column names: %(columns)s.")
            % {"columns": ", ".join(IMPORT_COLUMNS)}
        )
    duplicated = sorted({column for column in known if columns.count(column) > 1})
    if duplicated:
        raise ImportFileError(
            _("These columns appear more than once in the header: %(columns)s.") % {"columns": ", ".join(duplicated)}
        )
    missing = [column for column in REQUIRED_COLUMNS if column not in columns]
    if missing:
        raise ImportFileError(
            _("The header lacks these required columns: %(columns)s.") % {"columns": ", ".join(missing)}
        )
    return columns


def file_too_large_message() -> str:
    return _("The file is larger than %(size)s.") % {"size": filesizeformat(MAX_FILE_BYTES)}


def read_stored_file(member_import: MemberImport) -> ParsedFile:
    try:
        with member_import.file.open("rb") as stored:
            data = stored.read()
    except OSError as error:
        raise ImportFileError(_("The uploaded file can no longer be read; upload it again.")) from error
    return parse_import_file(data)


# --- checking rows -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportRow:
    """One row as it will be imported: values cleaned and resolved."""

    number: int
    email: str
    first_name: str
    last_name: str
    category: str
    country: str
    police_service: str
    rank: str
    languages: tuple[Language, ...]
    membership_expires_on: date | None

    @property
    def category_label(self) -> str:
        return str(MemberCategory(self.category).label)

    @property
    def country_name(self) -> str:
        return str(countries.name(self.country)) if self.country else ""

    @property
    def language_names(self) -> str:
        return ", ".join(str(language) for language in self.languages)


@dataclass
class CheckResult:
    rows: list[ImportRow] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    # Row numbers that had at least one error.
    bad_rows: set[int] = field(default_factory=set)

    def add_error(self, row: int | None, column: str, message: str) -> None:
        self.errors.append({"row": row, "field": column, "message": str(message)})
        if row is not None:
            self.bad_rows.add(row)


def _chunks(values: Sequence[str], size: int = LOOKUP_CHUNK) -> Iterable[Sequence[str]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def existing_account_emails(emails: Iterable[str]) -> set[str]:
    """The (lower-case) addresses among `emails` that already belong to an account, as login or second address."""
    wanted = sorted({email.lower() for email in emails if email})
    taken: set[str] = set()
    for chunk in _chunks(wanted):
        taken.update(
            User.objects.annotate(email_lower=Lower("email"))
            .filter(email_lower__in=chunk)
            .values_list("email_lower", flat=True)
        )
        # allauth stores addresses in lower case.
        taken.update(EmailAddress.objects.filter(email__in=chunk).values_list("email", flat=True))
    return taken


class RowChecker:
    """Checks rows against the reference data, loaded once: a constant number of queries whatever the size."""

    def __init__(self) -> None:
        with translation.override("en"):
            self.categories = {value: value for value in MemberCategory.values}
            self.categories.update({str(label).lower(): value for value, label in MemberCategory.choices})
            self.countries = {code.lower(): code for code, _name in countries}
            self.countries.update({str(name).lower(): code for code, name in countries})
            for code, _name in countries:
                alpha3 = countries.alpha3(code)
                if alpha3:
                    self.countries[alpha3.lower()] = code
        # Labels in the staff's own language are understood too.
        self.categories.update({str(label).lower(): value for value, label in MemberCategory.choices})
        self.countries.update({str(name).lower(): code for code, name in countries})
        self.languages: dict[str, Language] = {}
        for language in Language.objects.all():
            self.languages[language.name.lower()] = language
            self.languages[str(language).lower()] = language
        for language in self.languages.copy().values():
            self.languages[language.code.lower()] = language

    def check(
        self,
        rows: Sequence[tuple[int, dict[str, str], bool]],
        *,
        on_progress: Callable[[int], None] | None = None,
    ) -> CheckResult:
        result = CheckResult()
        taken = existing_account_emails(values.get("email", "") for _number, values, _extra in rows)
        first_row_of: dict[str, int] = {}
        for position, (number, values, extra) in enumerate(rows, start=1):
            row = self._check_row(number, values, extra, taken, first_row_of, result)
            if row is not None:
                result.rows.append(row)
            if on_progress is not None and position % PROGRESS_EVERY == 0:
                on_progress(position)
        return result

    def _check_row(
        self,
        number: int,
        values: dict[str, str],
        extra: bool,
        taken: set[str],
        first_row_of: dict[str, int],
        result: CheckResult,
    ) -> ImportRow | None:
        errors_before = len(result.errors)

        def error(column: str, message: str) -> None:
            result.add_error(number, column, message)

        if extra:
            error("", _("This row has more values than the header has columns."))

        email = values.get("email", "").lower()
        if not email:
            error("email", _("The email address is missing."))
        else:
            try:
                validate_email(email)
            except ValidationError:
                error("email", _("“%(value)s” is not a valid email address.") % {"value": values["email"]})
            else:
                if email in first_row_of:
                    error(
                        "email",
                        _("This email address already appears in row %(row)s.") % {"row": first_row_of[email]},
                    )
                elif email in taken:
                    error("email", _("An account with this email address already exists."))
                first_row_of.setdefault(email, number)

        for column in ("first_name", "last_name"):
            if not values.get(column):
                error(column, _("This value is missing."))
        for column, limit in MAX_LENGTHS.items():
            if len(values.get(column, "")) > limit:
                error(column, _("This value is longer than %(max)s characters.") % {"max": limit})

        raw_category = values.get("category", "")
        category = self.categories.get(raw_category.lower(), "")
        if not raw_category:
            error("category", _("The category is missing."))
        elif not category:
            error(
                "category",
                _("Unknown category “%(value)s”; use one of: %(choices)s.")
                % {"value": raw_category, "choices": ", ".join(MemberCategory.values)},
            )

        raw_country = values.get("country", "")
        country = self.countries.get(raw_country.lower(), "")
        if raw_country and not country:
            error(
                "country",
                _("Unknown country “%(value)s”; use a two-letter ISO code or the English name.")
                % {"value": raw_country},
            )

        languages: list[Language] = []
        for raw_language in values.get("languages", "").split(LANGUAGE_SEPARATOR):
            raw_language = raw_language.strip()
            if not raw_language:
                continue
            language = self.languages.get(raw_language.lower())
            if language is None:
                error(
                    "languages",
                    _("Unknown language “%(value)s”; use codes such as en;fr separated by semicolons.")
                    % {"value": raw_language},
                )
            elif language not in languages:
                languages.append(language)

        raw_expiry = values.get("membership_expires_on", "")
        expires_on = None
        if raw_expiry:
            try:
                if not ISO_DATE.match(raw_expiry):
                    raise ValueError(raw_expiry)
                expires_on = date.fromisoformat(raw_expiry)
            except ValueError:
                error(
                    "membership_expires_on",
                    _("“%(value)s” is not a date in the form YYYY-MM-DD.") % {"value": raw_expiry},
                )

        if len(result.errors) > errors_before:
            return None
        return ImportRow(
            number=number,
            email=email,
            first_name=values["first_name"],
            last_name=values["last_name"],
            category=category,
            country=country,
            police_service=values.get("police_service", ""),
            rank=values.get("rank", ""),
            languages=tuple(languages),
            membership_expires_on=expires_on,
        )


def stored_errors(errors: list[dict]) -> list[dict]:
    if len(errors) <= MAX_STORED_ERRORS:
        return errors
    hidden = len(errors) - MAX_STORED_ERRORS
    summary = ngettext("… and %(count)s more error.", "… and %(count)s more errors.", hidden) % {"count": hidden}
    return [*errors[:MAX_STORED_ERRORS], {"row": None, "field": "", "message": summary}]


# --- the workflow --------------------------------------------------------------------------------


def read_upload(upload: UploadedFile) -> tuple[ParsedFile, bytes]:
    if upload.size is not None and upload.size > MAX_FILE_BYTES:
        raise ImportFileError(file_too_large_message())
    data = upload.read(MAX_FILE_BYTES + 1)
    return parse_import_file(data), data


@transaction.atomic
def start_member_import(upload: UploadedFile, *, actor: User) -> MemberImport:
    """Store an uploaded CSV file and queue the check of its rows.

    Raises ImportFileError (nothing stored) when the file cannot be imported at all.
    """
    check_can_import_members(actor)
    parsed, data = read_upload(upload)
    member_import = MemberImport(
        created_by=actor,
        original_name=PurePath(upload.name or "members.csv").name[:255],
        total_rows=len(parsed.rows),
    )
    # A random name: the stored file holds personal data and its name must not be guessable.
    member_import.file.save(f"{uuid.uuid4().hex}.csv", ContentFile(data), save=False)
    member_import.save()
    queue_task("network.tasks.check_member_import_file", member_import.pk, translation.get_language() or "en")
    return member_import


def check_member_import(import_id: int) -> str | None:
    """Check every row of an uploaded import (dry run), storing progress and per-row errors.

    Safe to run twice: only an uploaded import, or one whose check was interrupted, is checked.
    Returns the new state, or None when there was nothing to do.
    """
    started = MemberImport.objects.filter(pk=import_id, state__in=[ImportState.UPLOADED, ImportState.CHECKING]).update(
        state=ImportState.CHECKING, processed_rows=0
    )
    if not started:
        return None
    member_import = MemberImport.objects.get(pk=import_id)
    try:
        parsed = read_stored_file(member_import)
    except ImportFileError as error:
        _finish(
            import_id, ImportState.CHECKING, ImportState.FAILED, [{"row": None, "field": "", "message": str(error)}]
        )
        return ImportState.FAILED

    def report(done: int) -> None:
        MemberImport.objects.filter(pk=import_id).update(processed_rows=done)

    try:
        result = RowChecker().check(parsed.rows, on_progress=report)
    except Exception:  # noqa: BLE001 - e.g. the time limit: the page must not show "checking" forever
        logger.exception("Checking member import %s failed", import_id)
        message = _("The check stopped unexpectedly. Upload the file again.")
        _finish(import_id, ImportState.CHECKING, ImportState.FAILED, [{"row": None, "field": "", "message": message}])
        return ImportState.FAILED
    MemberImport.objects.filter(pk=import_id, state=ImportState.CHECKING).update(
        state=ImportState.CHECKED,
        total_rows=len(parsed.rows),
        processed_rows=len(parsed.rows),
        errors=stored_errors(result.errors),
    )
    return ImportState.CHECKED


@transaction.atomic
def confirm_member_import(member_import: MemberImport, *, actor: User) -> MemberImport:
    """Queue the import of a checked file without errors; exactly one confirmation wins."""
    check_can_import_members(actor)
    locked = MemberImport.objects.select_for_update().get(pk=member_import.pk)
    if locked.state != ImportState.CHECKED:
        raise ImportNotReady(_("This import is not waiting for confirmation any more."))
    if locked.errors:
        raise ImportNotReady(_("Rows with errors cannot be imported. Correct the file and upload it again."))
    locked.state = ImportState.IMPORTING
    locked.processed_rows = 0
    locked.save(update_fields=["state", "processed_rows"])
    queue_task("network.tasks.import_confirmed_members", locked.pk, actor.pk, translation.get_language() or "en")
    return locked


class ImportAborted(Exception):
    def __init__(self, errors: list[dict]):
        super().__init__(errors)
        self.errors = errors


def import_members(import_id: int, *, actor_id: int | None) -> str | None:
    """Import every row of a confirmed file in one transaction: all members or none.

    Creates for each row a user with an unusable password (they set one through password reset), a verified
    primary email address, the member profile with its category and languages and a category change; then one
    MEMBERS_IMPORTED audit entry. The rows are checked again first: a row that became invalid since the dry run
    (an account created meanwhile) fails the whole import with the reason. Safe to run twice.
    """
    try:
        with transaction.atomic():
            member_import = (
                MemberImport.objects.select_for_update(of=("self",))
                .select_related("created_by")
                .filter(pk=import_id)
                .first()
            )
            if member_import is None or member_import.state != ImportState.IMPORTING:
                return None
            actor = User.objects.filter(pk=actor_id).first() if actor_id else None
            try:
                parsed = read_stored_file(member_import)
            except ImportFileError as error:
                raise ImportAborted([{"row": None, "field": "", "message": str(error)}]) from error
            result = RowChecker().check(parsed.rows)
            if result.errors:
                reason = ngettext(
                    "Nothing was imported: %(count)s row is no longer valid.",
                    "Nothing was imported: %(count)s rows are no longer valid.",
                    len(result.bad_rows),
                ) % {"count": len(result.bad_rows)}
                raise ImportAborted([{"row": None, "field": "", "message": reason}, *result.errors])
            created = create_imported_members(result.rows, actor=actor, member_import=member_import)
            member_import.state = ImportState.DONE
            member_import.processed_rows = member_import.total_rows = len(parsed.rows)
            member_import.created_count = len(created)
            member_import.errors = []
            member_import.finished_at = timezone.now()
            member_import.save(
                update_fields=["state", "processed_rows", "total_rows", "created_count", "errors", "finished_at"]
            )
            return ImportState.DONE
    except ImportAborted as aborted:
        _finish(import_id, ImportState.IMPORTING, ImportState.FAILED, aborted.errors)
    except DatabaseError as error:
        # E.g. another import or a sign-up took one of the addresses after the check: nothing was kept.
        logger.exception("Member import %s failed", import_id)
        message = _("Nothing was imported: the database refused the rows (%(error)s). Upload the file again.") % {
            "error": type(error).__name__
        }
        _finish(import_id, ImportState.IMPORTING, ImportState.FAILED, [{"row": None, "field": "", "message": message}])
    except Exception:  # noqa: BLE001 - e.g. the time limit: the page must not show "importing" forever
        logger.exception("Member import %s failed", import_id)
        message = _("Nothing was imported: the import stopped unexpectedly. Upload the file again.")
        _finish(import_id, ImportState.IMPORTING, ImportState.FAILED, [{"row": None, "field": "", "message": message}])
    return ImportState.FAILED


def _finish(import_id: int, from_state: str, to_state: str, errors: list[dict]) -> None:
    MemberImport.objects.filter(pk=import_id, state=from_state).update(
        state=to_state, errors=stored_errors(errors), finished_at=timezone.now()
    )


def unusable_password() -> str:
    """What make_password(None) stores, from one call to the system's random source instead of forty."""
    return UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(30)


def create_imported_members(
    rows: Sequence[ImportRow], *, actor: User | None, member_import: MemberImport
) -> list[Member]:
    """Create the accounts for checked rows with a constant number of queries per thousand rows.

    Call inside a transaction. Passwords are set unusable without hashing (hashing 5,000 would take minutes).
    """
    now = timezone.now()
    users = [
        User(
            email=row.email,
            first_name=row.first_name,
            last_name=row.last_name,
            password=unusable_password(),
            date_joined=now,
        )
        for row in rows
    ]
    User.objects.bulk_create(users, batch_size=BULK_BATCH)
    if any(user.pk is None for user in users):  # databases that cannot return the new keys
        ids = dict(User.objects.filter(email__in=[user.email for user in users]).values_list("email", "pk"))
        for user in users:
            user.pk = ids[user.email]
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in users],
        batch_size=BULK_BATCH,
    )
    members = [
        Member(
            user=user,
            category=row.category,
            country=row.country,
            police_service=row.police_service,
            rank=row.rank,
            membership_expires_on=row.membership_expires_on,
        )
        for user, row in zip(users, rows, strict=True)
    ]
    for member in members:  # bulk_create does not call save(), which derives it
        member.directory_search = member.compute_directory_search()
    Member.objects.bulk_create(members, batch_size=BULK_BATCH)
    if any(member.pk is None for member in members):
        ids = dict(Member.objects.filter(user__in=users).values_list("user_id", "pk"))
        for member in members:
            member.pk = ids[member.user_id]
    MemberLanguage = Member.languages.through
    MemberLanguage.objects.bulk_create(
        [
            MemberLanguage(member_id=member.pk, language_id=language.pk)
            for member, row in zip(members, rows, strict=True)
            for language in row.languages
        ],
        batch_size=BULK_BATCH,
    )
    reason = f"imported from {member_import.original_name}"
    CategoryChange.objects.bulk_create(
        [
            CategoryChange(member=member, from_category="", to_category=member.category, actor=actor, reason=reason)
            for member in members
        ],
        batch_size=BULK_BATCH,
    )
    by_category = Counter(member.category for member in members)
    record_audit(
        AuditAction.MEMBERS_IMPORTED,
        actor=actor,
        target=member_import,
        reason=reason,
        details={
            "file": member_import.original_name,
            "rows": len(rows),
            "created": len(members),
            "by_category": dict(sorted(by_category.items())),
            "uploaded_by": member_import.created_by.email if member_import.created_by else "",
        },
    )
    return members


def preview_member_import(member_import: MemberImport, *, limit: int = PREVIEW_ROWS) -> tuple[list[dict], ParsedFile]:
    """The first rows of a checked file as they would be imported (values resolved), and the parsed file."""
    parsed = read_stored_file(member_import)
    first = parsed.rows[:limit]
    resolved = {row.number: row for row in RowChecker().check(first).rows}
    bad_rows = {error["row"] for error in member_import.errors}
    return [
        {"number": number, "row": resolved.get(number), "values": values, "has_errors": number in bad_rows}
        for number, values, _extra in first
    ], parsed
