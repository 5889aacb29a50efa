"""`manage.py receive_email < message.eml`: one emailed reply from standard input, for a Postfix pipe.

Postfix reads the exit status: 0 means delivered (posted, or bounced by us with the reason), 75 (EX_TEMPFAIL)
means "try again later" (the database is unreachable: Postfix keeps the message and retries), and any other
status makes Postfix bounce the message itself, which is right only when it cannot be read at all.
"""

import os
import sys

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from forums.email_replies import receive_reply_email
from forums.views_inbound import MAX_MESSAGE_BYTES


class Command(BaseCommand):
    help = "Read one email reply from standard input and post it in its topic (or bounce it to its sender)."
    # call_command("receive_email", stdin=BytesIO(raw)) in tests.
    stealth_options = ("stdin",)

    def handle(self, *args, **options):
        stream = options.get("stdin") or sys.stdin.buffer
        try:
            raw = stream.read(MAX_MESSAGE_BYTES + 1)
        except (OSError, ValueError) as error:
            raise CommandError(f"The message could not be read: {error}", returncode=os.EX_DATAERR) from error
        if not raw.strip():
            raise CommandError("No message on standard input.", returncode=os.EX_DATAERR)
        if len(raw) > MAX_MESSAGE_BYTES:
            raise CommandError("The message is larger than 10 MB.", returncode=os.EX_DATAERR)
        try:
            outcome = receive_reply_email(raw)
        except DatabaseError as error:
            raise CommandError(f"The database is unavailable: {error}", returncode=os.EX_TEMPFAIL) from error
        if outcome.accepted:
            self.stdout.write(f"posted: post {outcome.post.pk} ({outcome.reason})")
        else:
            self.stdout.write(f"not posted: {outcome.reason}")
