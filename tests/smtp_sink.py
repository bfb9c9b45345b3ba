"""A local SMTP server for tests (aiosmtpd, in a thread): what is sent to it is kept, parsed, for
the test to read back. It can refuse mail for a while (451, "try again later"), as a mail server
that is down or greylisting does, or for good (550, "no such mailbox"). The fixture is `smtp_sink`, registered in conftest.py:

    def test_x(smtp_sink):
        ... send to 127.0.0.1:smtp_sink.port ...
        (received,) = smtp_sink.wait_for(1)
        assert received.envelope_to == ["kari@example.no"]
"""

import asyncio
import email
import email.policy
import logging
import socket
import threading
import time
from dataclasses import dataclass
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller

HOST = "127.0.0.1"

# aiosmtpd narrates every SMTP command at INFO.
logging.getLogger("mail.log").setLevel(logging.WARNING)


@dataclass(frozen=True)
class ReceivedMail:
    envelope_from: str
    envelope_to: list[str]
    message: EmailMessage

    @property
    def subject(self) -> str:
        return self.message["Subject"]

    @property
    def body(self) -> str:
        """The plain-text part, decoded, with \n line endings (SMTP sends \r\n)."""
        return self.message.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")


def smtp_mailers(port: int, host: str = HOST) -> dict:
    """Django's MAILERS setting that sends by SMTP to host:port (SMTPSink.mailers for a sink)."""
    return {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": host, "port": port, "timeout": 5},
        }
    }


def closed_port() -> int:
    """A local port nothing listens on: a mail server that is down."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class _Handler:
    def __init__(self, sink: "SMTPSink"):
        self.sink = sink

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:
        with self.sink._lock:
            self.sink.recipients_asked += 1
        if self.sink.rcpt_delay:
            # Before the message is sent: a client that dies now has delivered nothing.
            await asyncio.sleep(self.sink.rcpt_delay)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:
        if self.sink._take_refusal():
            if self.sink.refusal_code >= 500:
                return f"{self.sink.refusal_code} 5.1.1 Mailbox unavailable"
            return f"{self.sink.refusal_code} 4.3.0 Try again later"
        if self.sink.delay:
            await asyncio.sleep(self.sink.delay)
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        self.sink._add(ReceivedMail(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 OK"


class _BoundController(Controller):
    """aiosmtpd's Controller on a socket bound beforehand to a free port: no race for a port
    between finding it and listening on it."""

    def __init__(self, handler, sock: socket.socket, **kwargs):
        self._sock = sock
        super().__init__(handler, hostname=HOST, port=sock.getsockname()[1], **kwargs)

    def _create_server(self):
        return self.loop.create_server(self._factory_invoker, sock=self._sock)


class SMTPSink:
    def __init__(self):
        self._lock = threading.Lock()
        self._messages: list[ReceivedMail] = []
        self._refuse: int | None = 0  # messages still to refuse; None: all until accept()
        self.refusal_code = 451
        self.refused = 0
        self.delay = 0.0  # seconds to take over each message, as a slow server does
        self.rcpt_delay = 0.0  # seconds to take over each recipient, before the message
        # RCPT commands received so far, delivered or not: a client is sending from the first.
        self.recipients_asked = 0
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind((HOST, 0))
        self.host = HOST
        self.port = sock.getsockname()[1]
        self._controller = _BoundController(_Handler(self), sock)

    @property
    def mailers(self) -> dict:
        """Django's MAILERS setting that sends to this sink."""
        return smtp_mailers(self.port, self.host)

    def start(self) -> None:
        self._controller.start()

    def stop(self) -> None:
        self._controller.stop()

    @property
    def messages(self) -> list[ReceivedMail]:
        """A copy of what has been received so far, in order of arrival."""
        with self._lock:
            return list(self._messages)

    def refuse(self, count: int | None = None, code: int = 451) -> None:
        """Answer `code` (451: try again later; 550: refused for good) to the next `count`
        messages, or to every message until accept()."""
        with self._lock:
            self._refuse = count
            self.refusal_code = code

    def accept(self) -> None:
        with self._lock:
            self._refuse = 0

    def wait_for(self, count: int, timeout: float = 30) -> list[ReceivedMail]:
        """The messages, once at least `count` have arrived; fails the test after `timeout`."""
        deadline = time.monotonic() + timeout
        while True:
            messages = self.messages
            if len(messages) >= count:
                return messages
            if time.monotonic() >= deadline:
                pytest.fail(f"the SMTP sink got {len(messages)} message(s), expected {count}")
            time.sleep(0.1)

    def _add(self, received: ReceivedMail) -> None:
        with self._lock:
            self._messages.append(received)

    def _take_refusal(self) -> bool:
        with self._lock:
            if self._refuse is None:
                self.refused += 1
                return True
            if self._refuse > 0:
                self._refuse -= 1
                self.refused += 1
                return True
            return False


@pytest.fixture(name="smtp_sink")
def smtp_sink_fixture():
    sink = SMTPSink()
    sink.start()
    yield sink
    sink.stop()
