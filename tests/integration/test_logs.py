"""Logs: one line per request in text or JSON, and never a credential, whatever
logs it (Leopard, aiohttp's access log, aiohttp's own error log)."""

import asyncio
import io
import json
import logging

import pytest

from leopard.logtext import Block
from leopard.web.logs import make_handler, redact

from ..support.sse import SSE

S = "/api/v1/notifications/stream/"


@pytest.fixture
def captured(caplog):
    """The lines that `python run.py` would print, per format."""
    caplog.set_level(logging.DEBUG)
    root, outputs = logging.getLogger(), {}
    handlers = []
    for fmt in ("text", "json"):
        outputs[fmt] = io.StringIO()
        handlers.append(make_handler(fmt, outputs[fmt]))
        root.addHandler(handlers[-1])
    yield lambda fmt: outputs[fmt].getvalue().splitlines()
    for handler in handlers:
        root.removeHandler(handler)


async def test_a_request_logs_route_status_duration_and_user_as_json(
    client, make_user, captured
):
    alice = await make_user()
    await client.get("/api/v1/users/me/?x=1", headers=alice.headers)
    await asyncio.sleep(0.05)  # aiohttp logs once the response is written
    lines = [json.loads(line) for line in captured("json")]
    [line] = [entry for entry in lines if entry.get("route") == "users-me"]
    assert line["logger"] == "aiohttp.access" and line["level"] == "INFO"
    assert (line["method"], line["path"], line["status"]) == (
        "GET",
        "/api/v1/users/me/",
        200,
    )
    assert line["user_id"] == alice.id and line["duration_ms"] >= 0
    [text] = [t for t in captured("text") if "route=users-me" in t]
    assert "GET /api/v1/users/me/ route=users-me 200 " in text
    assert text.endswith(f"ms user={alice.id}")


async def test_an_unmatched_path_logs_as_unmatched_without_a_user(client, captured):
    await client.get("/nowhere/")
    await asyncio.sleep(0.05)
    [line] = [json.loads(t) for t in captured("json") if "/nowhere/" in t]
    assert (line["route"], line["status"], line["user_id"]) == ("unmatched", 404, None)


async def test_stream_open_and_close_are_logged_with_the_duration(
    client, make_user, captured
):
    alice = await make_user()
    async with SSE.open(client, headers=alice.headers):
        pass
    await asyncio.sleep(0.1)
    lines = captured("text")
    assert any(f"stream open user={alice.id}" in line for line in lines)
    closed = [line for line in lines if f"stream closed user={alice.id}" in line]
    assert closed and closed[0].endswith("s") and " after " in closed[0]


async def raw(client, data: bytes) -> bytes:
    reader, writer = await asyncio.open_connection(client.host, client.port)
    writer.write(data)
    await writer.drain()
    answer = await reader.read(1000)
    writer.close()
    return answer


async def test_no_log_line_ever_shows_a_token_a_cookie_or_a_password(
    client, make_user, captured
):
    alice = await make_user()
    token = alice.token
    await client.get("/api/v1/users/me/", headers=alice.headers)
    await client.get("/api/v1/users/me/", headers={"Authorization": f"Bearer {token}x"})
    async with SSE.open(client, params={"access_token": token}):
        pass
    ticket = await client.post(f"{S}ticket/", headers=alice.headers)
    cookie = ticket.cookies["leopard_stream"].value
    async with SSE.open(client, cookies={"leopard_stream": cookie}):
        pass
    bad = "not-" + alice.password
    resp = await client.post(
        "/api/v1/auth/token/", json={"username": alice.username, "password": bad}
    )
    assert resp.status == 401
    await client.post(
        "/api/v1/auth/token/",
        data=f'{{"username": "{alice.username}", "password": "{bad}"',
    )
    # Malformed requests: aiohttp's parser quotes the bytes around the fault.
    await raw(client, f"GET {S}?access_token={token}\x01 HTTP/1.1\r\n\r\n".encode())
    await raw(
        client,
        f"GET / HTTP/1.1\r\nAuthorization: Bearer {token}\x01\r\n\r\n".encode(),
    )
    await raw(
        client,
        f"GET / HTTP/1.1\r\nCookie: leopard_stream={cookie}\x01\r\n\r\n".encode(),
    )
    await asyncio.sleep(0.1)
    for fmt in ("text", "json"):
        lines = captured(fmt)
        assert any("route=notifications-stream" in line for line in lines) or any(
            '"route": "notifications-stream"' in line for line in lines
        )
        for secret in (token, cookie, bad, token[-20:], cookie[-20:]):
            leaks = [line for line in lines if secret in line]
            assert not leaks, leaks
        assert not any("access_token" in line for line in lines)
        assert sum("bad HTTP request" in line for line in lines) == 3


def test_a_bad_request_from_a_client_is_one_warning_not_a_traceback(captured):
    from aiohttp.http_exceptions import BadHttpMessage

    try:
        raise BadHttpMessage("Invalid header value char:\n\n  b'Bearer abc'\n  ^")
    except BadHttpMessage:
        logging.getLogger("aiohttp.server").exception("Error handling request")
    [line] = captured("json")
    entry = json.loads(line)
    assert entry["level"] == "WARNING" and "exception" not in entry
    assert entry["message"] == "bad HTTP request: Invalid header value char"


def test_a_broken_log_call_never_raises_through_the_filter(captured):
    logging.getLogger("leopard").warning("%s and %s", "only one")
    assert captured("text")[-1].endswith("(unloggable record)")


@pytest.mark.parametrize(
    "text, kept",
    [
        ("Authorization: Bearer abc.def-ghi", "Authorization: Bearer [redacted]"),
        ("GET /s/?access_token=abc&x=1", "GET /s/?access_token=[redacted]&x=1"),
        ("Cookie: leopard_stream=abc; b=2", "Cookie: leopard_stream=[redacted]; b=2"),
        ('{"username": "a", "password": "hunter22"}', '"password": "[redacted]"'),
        ("token eyJhbGciOi.eyJzdWIi.c2lnbmF0dXJl here", "token [redacted] here"),
        ("Cookie: leopard_refresh=q1Vd-x_9; b=2", "leopard_refresh=[redacted]; b=2"),
        ('{"refresh_token": "q1Vd-x_9"}', '"refresh_token": "[redacted]"'),
        ('{"current_password": "hunter22"}', '"current_password": "[redacted]"'),
        ('{"new_password": "hunter22"}', '"new_password": "[redacted]"'),
    ],
)
def test_redact_hides_credentials_wherever_they_appear(text, kept):
    assert kept in redact(text)


FORGED = "2026-12-07 00:13:59,000 INFO aiohttp.access: PATCH /api/v1/users/3/"


async def test_a_forged_log_line_is_written_escaped_on_the_line_of_its_request(
    client, captured
):
    """A decoded path carries CR LF, ESC and NUL as sent: each is written as
    its escape, so the request stays one line and no second record appears."""
    forged = FORGED.replace(" ", "%20")
    await raw(
        client,
        f"GET /static/x%0d%0a{forged}%1b[31m%00%e2%80%a8 HTTP/1.1\r\n"
        "Host: leopard\r\nConnection: close\r\n\r\n".encode(),
    )
    await asyncio.sleep(0.05)
    for fmt in ("text", "json"):
        output = "\n".join(captured(fmt))
        for control in ("\r", "\x1b", "\x00", "\u2028"):
            assert control not in output, (fmt, control)
    [line] = [t for t in captured("text") if "/static/x" in t]
    assert f"GET /static/x\\x0d\\x0a{FORGED}\\x1b[31m\\x00\\u2028 route=" in line
    assert not any(t.startswith(FORGED) for t in captured("text"))
    [entry] = [json.loads(t) for t in captured("json") if "/static/x" in t]
    assert entry["path"] == f"/static/x\\x0d\\x0a{FORGED}\\x1b[31m\\x00\\u2028"


async def test_a_username_with_control_characters_is_logged_escaped(client, captured):
    name = f"x\r\n{FORGED}\x1b[31m"
    resp = await client.post(
        "/api/v1/auth/token/", json={"username": name, "password": "wrong-password"}
    )
    assert resp.status == 401
    [line] = [t for t in captured("text") if "sign-in failed" in t]
    assert "\\r\\n2026-12-07" in line and "\\x1b[31m" in line
    assert not any(t.startswith(FORGED) for t in captured("text"))


def test_every_value_a_record_quotes_is_escaped_but_its_own_format_is_not(
    captured,
):
    log = logging.getLogger("leopard.stream")
    log.info("stream query=%s types=%r\nsecond line", "a\nb\x9b", ["\x1b"])
    assert captured("text")[-2].endswith("stream query=a\\x0ab\\x9b types=['\\x1b']")
    assert captured("text")[-1] == "second line"


async def test_raw_control_characters_in_a_stream_query_are_one_warning(
    client, captured
):
    """aiohttp refuses a request line with a raw ESC before any handler: one
    warning naming why, no traceback (the access log once failed on the
    request that has no route) and none of the bytes."""
    await raw(
        client,
        b"GET /api/v1/notifications/stream/?types=\x1b[31mX%0d%0a HTTP/1.1\r\n"
        b"Host: leopard\r\nConnection: close\r\n\r\n",
    )
    await asyncio.sleep(0.05)
    lines = captured("text")
    assert not any("Traceback" in t or "\x1b" in t for t in lines), lines
    warning, access = [t.split(": ", 1)[1] for t in lines if " aiohttp." in t]
    assert warning == "bad HTTP request: Invalid char in url query"
    assert access.startswith("UNKNOWN / route=unmatched 400 ")


def test_an_email_in_the_log_is_indented_so_no_line_of_it_passes_for_a_record(
    captured,
):
    body = Block(f"Subject: Leopard: x\n{FORGED}\x1b[0m")
    logging.getLogger("leopard.email").info("email (LEOPARD_SMTP_URL=log:)\n%s", body)
    assert captured("text")[-2:] == [
        "    Subject: Leopard: x",
        f"    {FORGED}\\x1b[0m",
    ]
