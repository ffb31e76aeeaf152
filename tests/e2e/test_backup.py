"""`backup FILE` while Leopard serves and writes, `restore FILE` into a fresh
data dir: everything the snapshot holds is there, and a stream resumes on the
restored server from its Last-Event-ID with exactly what it lacks."""

import json
import threading
import urllib.error
import urllib.request

import pytest

from ..support.common import data_directory
from ..support.processes import Leopard, Stream, run

pytestmark = pytest.mark.e2e

PASSWORD = "a-long-password"


def everything(server, admin, maria):
    """What a restore must bring back: users, tasks, maria's notifications."""
    users = server.call("GET", "/api/v1/users/?limit=200", token=admin)[1]
    tasks = server.call("GET", "/api/v1/tasks/?limit=200", token=admin)[1]
    notes, offset = [], 0
    while True:
        page = server.call(
            "GET", f"/api/v1/notifications/?limit=200&offset={offset}", token=maria
        )[1]
        notes += page["results"]
        offset += 200
        if offset >= page["count"]:
            break
    return users["results"], tasks["results"], {n["id"]: n for n in notes}


def refresh(server, refresh_token):
    """POST the refresh route with this token: (status, answer or None)."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{server.port}/api/v1/auth/token/refresh/",
        method="POST",
        data=json.dumps({"refresh_token": refresh_token}).encode(),
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as error:
        return error.code, None


def sign_in(server, username):
    body = {"username": username, "password": PASSWORD}
    return server.call("POST", "/api/v1/auth/token/", body)[1]["refresh_token"]


@pytest.fixture
def two_data_dirs():
    with data_directory() as a, data_directory() as b:
        yield a, b


def test_a_backup_under_load_restores_into_a_fresh_data_dir(tmp_path, two_data_dirs):
    dir_a, dir_b = two_data_dirs
    backup = tmp_path / "leopard.dump"
    a = Leopard(tmp_path, dir_a, name="a").start()
    try:
        admin = a.token()
        status, maria = a.call(
            "POST",
            "/api/v1/users/",
            {"username": "maria", "password": PASSWORD, "full_name": "Maria K"},
            admin,
        )
        assert status == 201
        token = a.token("maria", PASSWORD)
        # This wave's tables: a case with a document, its history, a template.
        _, ana = a.call(
            "POST",
            "/api/v1/clients/",
            {"first_name": "Ana", "last_name": "Ruiz"},
            admin,
        )
        document = {
            "client_id": ana["id"],
            "kind": "PASSPORT",
            "expires_on": "2030-01-01",
        }
        assert a.call("POST", "/api/v1/documents/", document, admin)[0] == 201
        template = {
            "name": "Lodged",
            "on_status": "VISA_APPLIED",
            "tasks": [{"title": "Call"}],
        }
        assert a.call("POST", "/api/v1/task-templates/", template, admin)[0] == 201
        case_path = f"/api/v1/clients/{ana['id']}/history/"
        case_a = a.call("GET", case_path, None, admin)[1]
        templates_a = a.call("GET", "/api/v1/task-templates/", None, admin)[1]
        # Refresh sessions: one kept, one rotated (its first token is spent),
        # one signed out; the dump must carry each as it stands.
        kept = sign_in(a, "maria")
        spent = sign_in(a, "maria")
        status, rotated = refresh(a, spent)
        assert status == 200
        rotated = rotated["refresh_token"]
        ended = sign_in(a, "maria")
        request = urllib.request.Request(
            f"http://127.0.0.1:{a.port}/api/v1/auth/logout/",
            method="POST",
            data=json.dumps({"refresh_token": ended}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=10) as resp:
            assert resp.status == 204
        a.call(
            "POST",
            "/api/v1/tasks/",
            {"title": "Lodge", "assigned_to": maria["id"]},
            admin,
        )
        for i in range(20):
            a.call(
                "POST",
                "/api/v1/notifications/",
                {"recipients": [maria["id"]], "title": f"before {i}"},
                admin,
            )
        _, _, before = everything(a, admin, token)
        for note_id in sorted(before)[:5]:
            assert (
                a.call("POST", f"/api/v1/notifications/{note_id}/read/", token=token)[0]
                == 200
            )
        last_before = max(before)
        stream = Stream(
            "127.0.0.1",
            a.port,
            "/api/v1/notifications/stream/?last_event_id=0",
            headers={"Authorization": f"Bearer {token}"},
        )
        seen = 0
        while seen < last_before:
            frame = stream.frame()
            if frame.event == "notification":
                seen = int(frame.id)
        # Notifications keep being written while the backup is taken.
        stop, written = threading.Event(), []

        def write():
            while not stop.is_set() and len(written) < 150:
                body = {"recipients": [maria["id"]], "title": "during"}
                written.extend(
                    a.call("POST", "/api/v1/notifications/", body, admin)[1]["ids"]
                )

        writer = threading.Thread(target=write)
        writer.start()
        try:
            while len(written) < 5:
                threading.Event().wait(0.01)
            result = run(a.env, "backup", str(backup))
        finally:
            stop.set()
            writer.join()
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == f"backup written to {backup}"
        stream.close()
        users_a, tasks_a, notes_a = everything(a, admin, token)
    finally:
        assert a.stop() == 0

    b = Leopard(tmp_path, dir_b, name="b")
    restored = run(b.env, "restore", str(backup))
    assert restored.returncode == 0, restored.stderr
    b.start()
    try:
        users_b, tasks_b, notes_b = everything(b, b.token(), token)
        assert users_b == users_a
        assert tasks_b == tasks_a
        admin_b = b.token()
        assert b.call("GET", case_path, None, admin_b)[1] == case_a
        assert [e["action"] for e in case_a["results"]] == ["created", "created"]
        assert b.call("GET", "/api/v1/task-templates/", None, admin_b)[1] == templates_a
        # One snapshot: every notification committed before it, none after,
        # and no hole (one recipient's ids commit in increasing order).
        assert max(notes_b) >= last_before
        assert sorted(notes_b) == [i for i in sorted(notes_a) if i <= max(notes_b)]
        for note_id, note in notes_b.items():
            # delivered_at as the snapshot saw it: maybe set only after it.
            later = notes_a[note_id]
            assert note["delivered_at"] in (None, later["delivered_at"])
            assert {**note, "delivered_at": None} == {**later, "delivered_at": None}
        assert sum(n["read"] for n in notes_b.values()) == 5
        # The refresh sessions came back as they stood: the kept one and the
        # rotated one's new token renew (and their answers work), the
        # signed-out one does not, and the spent token is still a reuse that
        # ends its session.
        for refresh_token in (kept, rotated):
            status, renewed = refresh(b, refresh_token)
            assert status == 200
            me = b.call("GET", "/api/v1/users/me/", token=renewed["access_token"])
            assert me[1]["username"] == "maria"
        assert refresh(b, ended) == (401, None)
        assert refresh(b, spent) == (401, None)
        assert refresh(b, renewed["refresh_token"]) == (401, None)
        # maria's stream resumes on the restored server from the last id it
        # had: exactly the later ones that the snapshot holds, in order.
        resumed = Stream(
            "127.0.0.1",
            b.port,
            "/api/v1/notifications/stream/",
            headers={
                "Authorization": f"Bearer {token}",
                "Last-Event-ID": str(last_before),
            },
        )
        replayed = []
        while (frame := resumed.frame()).event == "notification":
            replayed.append(int(frame.id))
        resumed.close()
        assert frame.event == "unread_count"
        assert replayed == [i for i in sorted(notes_b) if i > last_before]
        assert len(replayed) >= 5  # written during the backup, before its snapshot

        # A second restore into a database with data refuses and changes nothing.
        again = run(b.env, "restore", str(backup))
        assert again.returncode == 1
        assert "Traceback" not in again.stderr
        lines = again.stderr.strip().splitlines()
        assert [line for line in lines if " INFO " not in line] == lines[-1:]
        assert "already has" in lines[-1] and "nothing was changed" in lines[-1]

        def undelivered(notes):  # the stream above delivered some since
            return {i: {**n, "delivered_at": None} for i, n in notes.items()}

        after = everything(b, b.token(), token)[2]
        assert undelivered(after) == undelivered(notes_b)
    finally:
        assert b.stop() == 0


def test_restore_without_a_file_and_backup_without_a_folder_say_so(tmp_path):
    with data_directory() as data_dir:
        env = Leopard(tmp_path, data_dir).env
        missing = run(env, "restore", str(tmp_path / "nothing.dump"))
        assert missing.returncode == 1
        assert missing.stderr.strip() == (
            f"leopard: no backup file {str(tmp_path / 'nothing.dump')!r}"
        )
        nowhere = run(env, "backup", str(tmp_path / "no" / "such" / "x.dump"))
        assert nowhere.returncode == 1 and "no folder" in nowhere.stderr


def test_backup_and_restore_against_a_database_url(tmp_path, fresh_database):
    """The same commands against LEOPARD_DATABASE_URL: the tools of the
    server's own major version (or the oldest newer one) are used, so a dump
    of an older server restores into it."""
    backup = tmp_path / "url.dump"
    with fresh_database() as source, fresh_database() as target:
        with data_directory() as data_dir:
            env = Leopard(tmp_path, data_dir).env
            made = run(
                {**env, "LEOPARD_DATABASE_URL": source},
                "createuser",
                "maria",
                "--password",
                PASSWORD,
            )
            assert made.returncode == 0, made.stderr
            dumped = run({**env, "LEOPARD_DATABASE_URL": source}, "backup", str(backup))
            assert dumped.returncode == 0, dumped.stderr
            into = {**env, "LEOPARD_DATABASE_URL": target}
            restored = run(into, "restore", str(backup))
            assert restored.returncode == 0, restored.stderr
            minted = run(into, "token", "maria")
            assert minted.returncode == 0 and minted.stdout.count(".") == 2
            refused = run(into, "restore", str(backup))
            assert refused.returncode == 1 and "already has" in refused.stderr
