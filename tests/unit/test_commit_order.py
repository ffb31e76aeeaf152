"""The memory broker's commit order, at the unit level (no database):
transactions that finish their COMMITs in any order reach the streams in the
order they staged, and one whose COMMIT outcome is unknown sends its
recipients' streams back to the database instead of leaving a hole."""

from leopard.live.broker import CommitOrder, MemoryBroker
from leopard.live.hub import RESYNC, Event, Hub


def note(i, type_="SYSTEM"):
    return Event("notification", f'{{"id":{i}}}', id=i, type=type_)


def released():
    out = []
    return out, CommitOrder(lambda user, event: out.append((user, event.id, event)))


def test_commits_that_return_out_of_order_are_released_in_stage_order():
    out, order = released()
    first = order.stage([(1, note(13))])
    second = order.stage([(1, note(14)), (2, note(15))])
    third = order.stage([(1, note(16))])
    order.committed(third)
    order.committed(second)
    assert out == []  # 13 is not out yet, so nothing after it is
    order.committed(first)
    assert [(u, i) for u, i, _ in out] == [(1, 13), (1, 14), (2, 15), (1, 16)]
    assert len(order) == 0
    assert all(e.committed_at is not None for _, _, e in out)


def test_a_ticket_whose_commit_is_unknown_resyncs_its_recipients_in_its_place():
    out, order = released()
    lost = order.stage([(1, note(13)), (2, note(14)), (1, note(15))])
    after = order.stage([(1, note(16))])
    order.committed(after)
    assert out == []
    order.unknown(lost)
    # 13-15 are never pushed (they may not exist); each recipient once catches
    # up from the database, and only then comes 16.
    assert [(u, e) for u, _, e in out[:2]] == [(1, RESYNC), (2, RESYNC)]
    assert [(u, i) for u, i, _ in out[2:]] == [(1, 16)]


def test_a_filtered_stream_gets_its_types_in_order_and_the_rest_does_not_hold_it():
    hub = Hub()
    broker = MemoryBroker(hub)
    typed = hub.subscribe(1, ["TASK_ASSIGNED"])
    tickets = [
        broker.order.stage([(1, note(i, "SYSTEM" if i % 2 else "TASK_ASSIGNED"))])
        for i in range(10, 20)
    ]
    for ticket in reversed(tickets):
        broker.committed(ticket)
    assert [e.id for e in typed.take()] == [10, 12, 14, 16, 18]
