"""The pure rules under absence and escalation: following a chain of
delegates, and when a task has been overdue for a whole business day."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from leopard.office_calendar import OfficeCalendar
from leopard.services.absence import follow


@pytest.mark.parametrize(
    "chain, expected",
    [
        ([(1, True)], (1, None)),  # not away
        ([(1, True), (2, True)], (2, 1)),
        ([(1, True), (2, True), (3, True)], (3, 1)),  # A → B → C
        ([(1, True), (2, True), (1, True)], (1, None)),  # A → B → A
        ([(1, True), (2, True), (3, True), (2, True)], (1, None)),
        ([(1, True), (2, False)], (1, None)),  # a delegate deactivated since
        ([(1, False), (2, True)], (1, None)),  # the user first named is inactive
        ([(i, True) for i in range(1, 7)], (6, 1)),  # five hand-ons
        ([(i, True) for i in range(1, 8)], (1, None)),  # six
    ],
)
def test_a_chain_ends_with_the_first_not_away_within_the_rules(chain, expected):
    assert follow(chain) == expected


SYDNEY = OfficeCalendar(zone=ZoneInfo("Australia/Sydney"), holidays_code="AU-NSW")
UTC_OFFICE = OfficeCalendar()


def local(calendar, text):
    return datetime.fromisoformat(text).replace(tzinfo=calendar.zone)


@pytest.mark.parametrize(
    "now, first_day_escalated_from",
    [
        # Friday 1 March 2024 before closing: Thursday's tasks are not yet late.
        ("2024-03-01T16:59", "2024-02-29"),
        ("2024-03-01T17:00", "2024-03-01"),
        # The weekend: Friday's tasks wait for Monday's closing.
        ("2024-03-02T12:00", "2024-03-01"),
        ("2024-03-04T16:59", "2024-03-01"),
        ("2024-03-04T17:01", "2024-03-04"),
    ],
)
def test_tasks_due_before_the_last_closed_business_day_are_overdue_a_day(
    now, first_day_escalated_from
):
    cutoff = UTC_OFFICE.overdue_cutoff(local(UTC_OFFICE, now))
    day = date.fromisoformat(first_day_escalated_from)
    assert cutoff == datetime(day.year, day.month, day.day, tzinfo=UTC)


def test_holidays_and_closures_count_as_the_weekend_does():
    # Good Friday 29 March and Easter Monday 1 April 2024 in New South Wales:
    # a task due Thursday the 28th is late at Tuesday's closing, not before.
    tuesday = local(SYDNEY, "2024-04-02T16:00")
    assert SYDNEY.overdue_cutoff(tuesday) == local(SYDNEY, "2024-03-28T00:00")
    assert SYDNEY.overdue_cutoff(local(SYDNEY, "2024-04-02T17:00")) == local(
        SYDNEY, "2024-04-02T00:00"
    )
    closed = {date(2024, 4, 2): "Stocktake"}
    wednesday = local(SYDNEY, "2024-04-03T17:30")
    assert SYDNEY.overdue_cutoff(wednesday, closed) == local(SYDNEY, "2024-04-03T00:00")
    assert SYDNEY.overdue_cutoff(local(SYDNEY, "2024-04-03T09:00"), closed) == local(
        SYDNEY, "2024-03-28T00:00"
    )
