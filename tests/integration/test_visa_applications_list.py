"""The visa application list: filters, newest first, pages, bad queries."""

from ..support.clients import VISAS, new_application, new_client


async def _list(client, person, **params) -> dict:
    resp = await client.get(VISAS, params=params, headers=person.headers)
    assert resp.status == 200, await resp.text()
    return await resp.json()


def _ids(body) -> list[int]:
    return [a["id"] for a in body["results"]]


async def _three(client, alice, bob):
    """Jane's applications: one of bob's, one of alice's, one of nobody's."""
    jane = await new_client(client, alice)
    make = new_application
    by_bob = await make(client, alice, jane["id"], assigned_to=bob.id)
    by_alice = await make(
        client, alice, jane["id"], assigned_to=alice.id, status="VISA_APPLIED"
    )
    nobody = await make(client, alice, jane["id"], status="GRANTED")
    return jane["id"], by_bob["id"], by_alice["id"], nobody["id"]


async def test_applications_of_a_client_are_listed_newest_first(client, make_user):
    alice, bob = await make_user(), await make_user()
    jane, by_bob, by_alice, nobody = await _three(client, alice, bob)
    await new_application(client, alice, (await new_client(client, alice))["id"])
    body = await _list(client, alice, client_id=jane)
    assert (_ids(body), body["count"]) == ([nobody, by_alice, by_bob], 3)


async def test_applications_are_filtered_by_one_status_or_several(client, make_user):
    alice, bob = await make_user(), await make_user()
    jane, by_bob, by_alice, nobody = await _three(client, alice, bob)
    one = await _list(client, alice, client_id=jane, status="GRANTED")
    assert (_ids(one), one["count"]) == ([nobody], 1)
    several = await _list(client, alice, client_id=jane, status="TO_BE_APPLIED,GRANTED")
    assert (_ids(several), several["count"]) == ([nobody, by_bob], 2)


async def test_applications_are_filtered_by_assignee_me_or_none(client, make_user):
    alice, bob = await make_user(), await make_user()
    jane, by_bob, by_alice, nobody = await _three(client, alice, bob)
    assert _ids(await _list(client, alice, assigned_to=bob.id)) == [by_bob]
    assert _ids(await _list(client, bob, assigned_to="me")) == [by_bob]
    assert _ids(await _list(client, alice, assigned_to="me")) == [by_alice]
    unassigned = await _list(client, alice, client_id=jane, assigned_to="none")
    assert _ids(unassigned) == [nobody]


async def test_the_application_list_pages_with_limit_and_offset(client, make_user):
    alice, bob = await make_user(), await make_user()
    jane, by_bob, by_alice, nobody = await _three(client, alice, bob)
    first = await _list(client, alice, client_id=jane, limit=2)
    rest = await _list(client, alice, client_id=jane, limit=2, offset=2)
    assert (first["count"], rest["count"]) == (3, 3)
    assert (_ids(first), _ids(rest)) == ([nobody, by_alice], [by_bob])


async def test_bad_application_filters_answer_400_naming_the_parameter(
    client, make_user
):
    alice = await make_user()
    for params in (
        {"status": "GRANTED,APPROVED"},
        {"assigned_to": "someone"},
        {"assigned_to": "0"},
        {"client_id": "abc"},
        {"limit": "0"},
    ):
        resp = await client.get(VISAS, params=params, headers=alice.headers)
        assert resp.status == 400, params
        error = (await resp.json())["error"]
        assert (error["code"], set(error["fields"])) == ("bad_query", set(params))
