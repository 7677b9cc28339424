"""`masthead mail_unsubscribe`: act on an unsubscribe request that arrived by mail.

Every notification names a mailto: address in its List-Unsubscribe header, with the signed
token in the subject. Point that mailbox at this command, e.g. in /etc/aliases:

    unsubscribe: "|/srv/masthead/.venv/bin/masthead mail_unsubscribe"

It reads one message on standard input and cancels what the token names (the thread it was
mailed about), exactly as the one-click link does.
"""

import re
import sys
from email import message_from_binary_file, policy

from django.core.management.base import BaseCommand

from masthead.notifications import services, tokens

# Signed tokens are URL-safe base64 pieces joined by colons.
TOKEN = re.compile(r"unsubscribe\s+([A-Za-z0-9_\-:]{20,})", re.IGNORECASE)


class Command(BaseCommand):
    help = "Read an unsubscribe mail on standard input and cancel the subscription it names."

    def handle(self, *args, **options):
        message = message_from_binary_file(sys.stdin.buffer, policy=policy.default)
        subject = str(message.get("Subject", ""))
        body = message.get_body(preferencelist=("plain",))
        text = subject + "\n" + (body.get_content() if body is not None else "")
        match = TOKEN.search(text)
        if match is None:
            # Exit 0: a bounce back to a stranger's forged address would only spread spam.
            self.stderr.write("No unsubscribe token found; nothing changed.")
            return
        try:
            cancelled = services.unsubscribe(match.group(1), everything=False)
        except tokens.TokenError as error:
            self.stderr.write(f"{error.message} Nothing changed.")
            return
        self.stdout.write(f"Unsubscribed ({cancelled} subscription(s) cancelled).")
