"""Handing a message to an SMTP server, with the standard library's smtplib.

Settings come from the environment only (TRACKER_SMTP_HOST, _PORT, _USER,
_PASSWORD, _TLS), read when a digest is delivered and passed around as an
`SMTPSettings` object; nothing is read at import time and the password never
appears in a repr, a log line or an error message.
"""
from __future__ import annotations

import ipaddress
import logging
import os
import re
import smtplib
import socket
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Mapping, Optional

from .errors import ConfigError, DeliveryError

log = logging.getLogger(__name__)

TLS_MODES = ("starttls", "ssl", "none")
DEFAULT_PORTS = {"none": 25, "ssl": 465, "starttls": 587}


@dataclass
class SMTPSettings:
    host: str = "localhost"
    port: int = 25
    user: Optional[str] = None
    password: Optional[str] = field(default=None, repr=False)
    tls: str = "none"  # starttls | ssl | none

    @classmethod
    def from_env(cls, environ: Optional[Mapping[str, str]] = None) -> "SMTPSettings":
        """Read TRACKER_SMTP_* from `environ` (default os.environ).

        TRACKER_SMTP_TLS defaults to starttls when a user is set (credentials
        never travel in clear text by default) and to none otherwise; the port
        defaults to 25, 465 or 587 by TLS mode.
        """
        env = os.environ if environ is None else environ
        host = (env.get("TRACKER_SMTP_HOST") or "").strip() or "localhost"
        if re.search(r"[\s\x00-\x1f\x7f]", host):
            raise ConfigError("TRACKER_SMTP_HOST: not a host name")
        user = env.get("TRACKER_SMTP_USER") or None
        password = env.get("TRACKER_SMTP_PASSWORD") or None
        tls = (env.get("TRACKER_SMTP_TLS") or "").strip().lower()
        if not tls:
            tls = "starttls" if user else "none"
        if tls not in TLS_MODES:
            raise ConfigError(
                f"TRACKER_SMTP_TLS: expected one of {', '.join(TLS_MODES)}, got {_shown(tls)}"
            )
        raw_port = (env.get("TRACKER_SMTP_PORT") or "").strip()
        if raw_port:
            try:
                port = int(raw_port)
            except ValueError:
                raise ConfigError(f"TRACKER_SMTP_PORT: expected a port number, got {_shown(raw_port)}") from None
            if not 0 < port < 65536:
                raise ConfigError(f"TRACKER_SMTP_PORT: expected a port number 1-65535, got {port}")
        else:
            port = DEFAULT_PORTS[tls]
        if password and not user:
            raise ConfigError("TRACKER_SMTP_PASSWORD is set but TRACKER_SMTP_USER is not")
        if user and password and tls == "none" and not _is_loopback(host):
            raise ConfigError(
                f"TRACKER_SMTP_TLS=none would send the SMTP password in clear text to {host}; "
                "use starttls or ssl"
            )
        return cls(host=host, port=port, user=user, password=password, tls=tls)

    def __str__(self) -> str:
        who = f" as {self.user}" if self.user else ""
        return f"smtp://{self.host}:{self.port} (tls={self.tls}){who}"


def _shown(value: str) -> str:
    return repr(value[:40])


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _reason(exc: BaseException) -> str:
    """One line describing `exc`, without anything sent to the server."""
    if isinstance(exc, smtplib.SMTPResponseException):
        text = exc.smtp_error
        if isinstance(text, bytes):
            text = text.decode("utf-8", "replace")
        text = f"{exc.smtp_code} {text}"
    elif isinstance(exc, socket.timeout):
        text = "timed out"
    elif isinstance(exc, socket.gaierror):
        text = f"unknown host ({exc.strerror or exc})"
    elif isinstance(exc, OSError) and exc.strerror:
        text = exc.strerror
    else:
        text = str(exc) or type(exc).__name__
    text = re.sub(r"[\x00-\x1f\x7f]+", " ", str(text)).strip()
    return text[:300]


def send(msg: EmailMessage, settings: SMTPSettings, timeout: float = 30) -> dict:
    """Hand `msg` to the SMTP server; return the recipients it refused ({} if none).

    Returns only once the server accepted the message (for at least one
    recipient). Raises DeliveryError with a one-line message naming host:port
    otherwise. Errors after acceptance (QUIT failing) are ignored: the message
    is already the server's responsibility, and reporting failure would make
    the next run send it again.
    """
    where = f"{settings.host}:{settings.port}"
    context = ssl.create_default_context()
    server: Optional[smtplib.SMTP] = None
    try:
        try:
            if settings.tls == "ssl":
                server = smtplib.SMTP_SSL(settings.host, settings.port, timeout=timeout, context=context)
            else:
                server = smtplib.SMTP(settings.host, settings.port, timeout=timeout)
        except (OSError, smtplib.SMTPException) as e:
            raise DeliveryError(f"cannot reach SMTP server {where}: {_reason(e)}") from None
        try:
            server.ehlo()
            if settings.tls == "starttls":
                server.starttls(context=context)
                server.ehlo()
        except smtplib.SMTPNotSupportedError:
            raise DeliveryError(f"SMTP server {where} does not support STARTTLS "
                                "(set TRACKER_SMTP_TLS=ssl or none)") from None
        except ssl.SSLError as e:
            raise DeliveryError(f"TLS with SMTP server {where} failed: {_reason(e)}") from None
        except (OSError, smtplib.SMTPException) as e:
            raise DeliveryError(f"SMTP server {where} failed the greeting: {_reason(e)}") from None
        if settings.user:
            try:
                server.login(settings.user, settings.password or "")
            except smtplib.SMTPAuthenticationError as e:
                raise DeliveryError(
                    f"SMTP server {where} rejected the login for user {settings.user}: {_reason(e)}"
                ) from None
            except smtplib.SMTPNotSupportedError:
                raise DeliveryError(f"SMTP server {where} does not offer AUTH "
                                    "(unset TRACKER_SMTP_USER or enable TLS)") from None
            except (OSError, smtplib.SMTPException) as e:
                raise DeliveryError(f"SMTP login to {where} failed: {_reason(e)}") from None
        try:
            refused = server.send_message(msg)
        except smtplib.SMTPRecipientsRefused as e:
            who = ", ".join(sorted(e.recipients))
            raise DeliveryError(f"SMTP server {where} refused every recipient ({who})") from None
        except smtplib.SMTPSenderRefused as e:
            raise DeliveryError(f"SMTP server {where} refused the sender {e.sender}: {_reason(e)}") from None
        except (OSError, smtplib.SMTPException) as e:
            raise DeliveryError(f"SMTP server {where} did not accept the message: {_reason(e)}") from None
    finally:
        if server is not None:
            try:
                server.quit()
            except Exception:  # noqa: BLE001 - accepted or not, the outcome is decided
                try:
                    server.close()
                except Exception:  # noqa: BLE001
                    pass
    if refused:
        log.warning("SMTP server %s refused %d recipient(s): %s", where, len(refused), ", ".join(sorted(refused)))
    return dict(refused or {})
