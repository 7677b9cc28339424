"""Django's SMTP backend, keeping what the server answered to each message.

Peer systems drop that answer and fail silently; the outbound log shows it instead ("250 2.0.0
Ok: queued as 4F2A1"), which is what an editor needs to tell their mail provider.
"""

import smtplib

from django.core.mail.backends.smtp import EmailBackend as DjangoEmailBackend


class _KeepsDataReply:
    """Keeps the reply to DATA, which smtplib's sendmail() reads and throws away."""

    last_data_reply: tuple[int, bytes] | None = None

    def data(self, msg):
        reply = super().data(msg)
        self.last_data_reply = reply
        return reply


class _ReplyKeepingSMTP(_KeepsDataReply, smtplib.SMTP):
    pass


class _ReplyKeepingSMTPSSL(_KeepsDataReply, smtplib.SMTP_SSL):
    pass


class EmailBackend(DjangoEmailBackend):
    """SMTP delivery (configured by Django's EMAIL_* settings) that records the server's reply."""

    @property
    def connection_class(self):
        return _ReplyKeepingSMTPSSL if self.use_ssl else _ReplyKeepingSMTP

    def _send(self, email_message):
        sent = super()._send(email_message)
        reply = getattr(self.connection, "last_data_reply", None)
        if sent and reply:
            code, text = reply
            email_message.server_reply = f"{code} {text.decode('utf-8', 'replace')}"
        return sent
