"""Business days against known calendars, from the real `holidays` package,
and the office's clock across a change of daylight saving time."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from leopard.office_calendar import NoBusinessDay, OfficeCalendar

SYDNEY = ZoneInfo("Australia/Sydney")
NSW = OfficeCalendar(zone=SYDNEY, holidays_code="AU-NSW")


def nth(calendar, start, n, closures=None):
    return calendar.add_business_days(date.fromisoformat(start), n, closures or {})


@pytest.mark.parametrize(
    "code, start, n, expected",
    [
        # Good Friday 26 March and Easter Monday 29 March 2027.
        ("AU-NSW", "2027-03-25", 1, "2027-03-30"),
        ("AU-NSW", "2027-03-24", 2, "2027-03-30"),
        # Christmas (Fri), Boxing Day (Sat) observed on Monday 28 December 2026.
        ("AU-NSW", "2026-12-24", 1, "2026-12-29"),
        # From a Friday before a Monday holiday (King's Birthday, 14 June 2027).
        ("AU-NSW", "2027-06-11", 1, "2027-06-15"),
        # Thanksgiving, Thursday 26 November 2026.
        ("US", "2026-11-25", 1, "2026-11-27"),
        ("US", "2026-11-25", 2, "2026-11-30"),
        # Early May bank holiday, Monday 3 May 2027; Boxing Day 2026 observed
        # on Monday 28 December.
        ("GB-ENG", "2027-04-30", 1, "2027-05-04"),
        ("GB-ENG", "2026-12-24", 2, "2026-12-30"),
    ],
)
def test_business_days_skip_weekends_and_public_holidays(code, start, n, expected):
    calendar = OfficeCalendar(holidays_code=code)
    assert nth(calendar, start, n) == date.fromisoformat(expected)


def test_the_day_itself_never_counts_and_a_weekday_adds_plainly():
    calendar = OfficeCalendar()
    assert nth(calendar, "2026-12-07", 1) == date(2026, 12, 8)  # Mon → Tue
    assert nth(calendar, "2026-12-11", 1) == date(2026, 12, 14)  # Fri → Mon
    assert nth(calendar, "2026-12-12", 1) == date(2026, 12, 14)  # Sat → Mon
    assert nth(calendar, "2026-12-07", 10) == date(2026, 12, 21)


def test_a_friday_and_saturday_weekend_works_on_sunday():
    calendar = OfficeCalendar(weekend=(4, 5))
    assert nth(calendar, "2026-12-10", 1) == date(2026, 12, 13)  # Thu → Sun
    assert calendar.is_business_day(date(2026, 12, 13))
    assert not calendar.is_business_day(date(2026, 12, 11))


def test_a_closure_is_not_a_business_day():
    calendar = OfficeCalendar()
    closures = {date(2026, 12, 14): "Office move"}
    assert nth(calendar, "2026-12-11", 1, closures) == date(2026, 12, 15)
    assert nth(calendar, "2026-12-11", 1) == date(2026, 12, 14)


def test_holidays_and_closures_in_a_range_are_listed_by_date():
    days = NSW.special_days(
        date(2026, 12, 20), date(2026, 12, 31), {date(2026, 12, 24): "Half day"}
    )
    assert days == [
        (date(2026, 12, 24), "Half day", "closure"),
        (date(2026, 12, 25), "Christmas Day", "holiday"),
        # Listed whatever day it falls on: a Saturday.
        (date(2026, 12, 26), "Boxing Day", "holiday"),
        (date(2026, 12, 28), "Boxing Day (observed)", "holiday"),
    ]


def test_a_deadline_falls_due_at_closing_time_across_a_dst_change():
    # Daylight saving ends in Sydney on Sunday 4 April 2027: 17:00 is 06:00
    # UTC before (AEDT, +11) and 07:00 UTC after (AEST, +10).
    assert NSW.closing(date(2027, 4, 1)) == datetime(2027, 4, 1, 6, 0, tzinfo=UTC)
    assert NSW.closing(date(2027, 4, 5)) == datetime(2027, 4, 5, 7, 0, tzinfo=UTC)
    thursday_noon = datetime(2027, 4, 1, 1, 0, tzinfo=UTC)  # 12:00 in Sydney
    assert NSW.due_in_business_days(2, now=thursday_noon) == datetime(
        2027, 4, 5, 7, 0, tzinfo=UTC
    )
    assert NSW.words(datetime(2027, 4, 5, 7, 0, tzinfo=UTC)) == "2027-04-05 17:00 AEST"
    assert NSW.words(datetime(2027, 4, 1, 6, 0, tzinfo=UTC)) == "2027-04-01 17:00 AEDT"


def test_today_is_the_offices_date_near_midnight_utc():
    before = datetime(2026, 12, 7, 12, 59, tzinfo=UTC)  # 23:59 in Sydney
    after = datetime(2026, 12, 7, 13, 0, tzinfo=UTC)  # 00:00 the next day
    assert NSW.today(before) == date(2026, 12, 7)
    assert NSW.today(after) == date(2026, 12, 8)
    assert OfficeCalendar().today(after) == date(2026, 12, 7)
    new_york = OfficeCalendar(zone=ZoneInfo("America/New_York"))
    assert new_york.today(datetime(2026, 12, 8, 3, 0, tzinfo=UTC)) == date(2026, 12, 7)


def test_the_calendar_describes_itself_as_the_contract_says():
    calendar = OfficeCalendar(
        zone=SYDNEY, weekend=(4, 5), holidays_code="AU-NSW", closing_time=time(16, 30)
    )
    assert calendar.describe() == {
        "timezone": "Australia/Sydney",
        "weekend": ["Fri", "Sat"],
        "holidays": "AU-NSW",
        "closing_time": "16:30",
    }


def test_an_office_with_no_business_day_in_reach_says_so():
    calendar = OfficeCalendar(weekend=(0, 1, 2, 3, 4, 5))
    sundays = (date(2026, 12, 6) + timedelta(weeks=week) for week in range(400))
    closures = {sunday: "closed" for sunday in sundays}
    with pytest.raises(NoBusinessDay):
        calendar.add_business_days(date(2026, 12, 1), 1, closures)
    with pytest.raises(ValueError):
        calendar.add_business_days(date(2026, 12, 1), 0)
