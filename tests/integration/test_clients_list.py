"""The client list: search by `q`, order by name, and pages."""

import uuid

from ..support.clients import CLIENTS, new_client


async def _search(client, person, q, **params):
    resp = await client.get(CLIENTS, params={"q": q, **params}, headers=person.headers)
    assert resp.status == 200, await resp.text()
    return await resp.json()


def _ids(body) -> list[int]:
    return [c["id"] for c in body["results"]]


async def test_q_matches_first_last_and_full_name_and_email_in_any_case(
    client, make_user
):
    alice = await make_user()
    tag = uuid.uuid4().hex[:10]
    first = await new_client(client, alice, first_name=f"Mira{tag}", last_name="Ali")
    last = await new_client(client, alice, first_name="Omar", last_name=f"Haddad{tag}")
    mail = await new_client(
        client, alice, first_name="Li", last_name="Wei", email=f"li.{tag}@example.com"
    )
    assert _ids(await _search(client, alice, f"MIRA{tag}")) == [first["id"]]
    assert _ids(await _search(client, alice, f"omar haddad{tag}")) == [last["id"]]
    assert _ids(await _search(client, alice, f"{tag}@EXAMPLE")) == [mail["id"]]
    body = await _search(client, alice, tag.upper())
    assert sorted(_ids(body)) == sorted([first["id"], last["id"], mail["id"]])
    assert body["count"] == 3


async def test_q_matches_percent_and_underscore_literally(client, make_user):
    alice = await make_user()
    tag = uuid.uuid4().hex[:10]
    literal = await new_client(client, alice, last_name=f"A_%{tag}")
    await new_client(client, alice, last_name=f"AB{tag}")
    await new_client(client, alice, last_name=f"Ax%{tag}")
    assert _ids(await _search(client, alice, f"a_%{tag}")) == [literal["id"]]
    assert (await _search(client, alice, "%" + uuid.uuid4().hex))["count"] == 0


async def test_clients_are_listed_by_last_then_first_name_then_id(client, make_user):
    alice = await make_user()
    tag = uuid.uuid4().hex[:10]
    made = [
        await new_client(client, alice, first_name=first, last_name=last + tag)
        for first, last in [
            ("Zoe", "brown"),
            ("Adam", "Clark"),
            ("adam", "Brown"),
            ("Adam", "brown"),
        ]
    ]
    zoe_brown, adam_clark, adam_brown, adam_brown_2 = (c["id"] for c in made)
    body = await _search(client, alice, tag)
    assert _ids(body) == [adam_brown, adam_brown_2, zoe_brown, adam_clark]


async def test_the_client_list_pages_with_limit_and_offset(client, make_user):
    alice = await make_user()
    tag = uuid.uuid4().hex[:10]
    made = [
        (await new_client(client, alice, last_name=f"{tag}{i}"))["id"] for i in range(5)
    ]
    first = await _search(client, alice, tag, limit=2)
    rest = await _search(client, alice, tag, limit=2, offset=2)
    end = await _search(client, alice, tag, limit=2, offset=4)
    assert (first["count"], rest["count"], end["count"]) == (5, 5, 5)
    assert _ids(first) + _ids(rest) + _ids(end) == made


async def test_without_q_the_list_counts_every_client(client, make_user):
    alice = await make_user()

    async def count():
        resp = await client.get(CLIENTS, params={"limit": 1}, headers=alice.headers)
        body = await resp.json()
        assert len(body["results"]) == min(1, body["count"])
        return body["count"]

    before = await count()
    await new_client(client, alice)
    assert await count() == before + 1


async def test_bad_client_list_queries_answer_400(client, make_user):
    alice = await make_user()
    for params in ({"limit": "0"}, {"offset": "-1"}, {"q": "x" * 201}):
        resp = await client.get(CLIENTS, params=params, headers=alice.headers)
        assert resp.status == 400, params
        assert set((await resp.json())["error"]["fields"]) == set(params)
