"""The office's calendar: its time zone, its weekend, its public holidays (from
the `holidays` package, never a list typed by hand) and its closures. The one
place that answers "what day is it at the office", "is this a business day"
and "the Nth business day after D"; nothing else does date arithmetic on its
own. Pure: closures come in as a mapping {date: name} read by the caller."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
DAY_NAMES += ("Sunday",)
# Business days looked through at the most: 366 business days of an office open
# one day a week, with room to spare. Only an office with no business day at
# all reaches it (every weekday closed, or a closure every working day).
SEARCH_LIMIT = 366 * 7 + 31
NO_CLOSURES: Mapping[date, str] = {}


class NoBusinessDay(Exception):
    """The calendar has no business day within reach."""


class PublicHolidays:
    """The `holidays` calendar of "AU-NSW", "US", "GB-ENG": a country and an
    optional subdivision; `code` as the package spells them."""

    def __init__(self, code: str):
        country, _, subdiv = code.strip().partition("-")
        country = country.upper()
        try:
            self._days = holidays.country_holidays(country, subdiv=subdiv or None)
        except NotImplementedError:
            if not subdiv or subdiv == subdiv.upper():
                raise
            subdiv = subdiv.upper()  # "au-nsw" as well as "AU-NSW"
            self._days = holidays.country_holidays(country, subdiv=subdiv)
        self.code = f"{country}-{subdiv}" if subdiv else country

    def get(self, day: date) -> str | None:
        # The package expands the years it is asked about, once each.
        return self._days.get(day)


def public_holidays(code: str) -> PublicHolidays:
    """NotImplementedError for a country or subdivision the package lacks."""
    return PublicHolidays(code)


@dataclass(frozen=True)
class OfficeCalendar:
    zone: ZoneInfo = ZoneInfo("UTC")
    weekend: tuple[int, ...] = (5, 6)  # Monday is 0
    holidays_code: str | None = None
    closing_time: time = time(17, 0)
    _holidays: object = field(default=None, repr=False, compare=False)

    def __post_init__(self):
        if self.holidays_code and self._holidays is None:
            object.__setattr__(self, "_holidays", public_holidays(self.holidays_code))

    @classmethod
    def from_settings(cls, settings) -> "OfficeCalendar":
        return cls(
            zone=settings.timezone,
            weekend=settings.weekend,
            holidays_code=settings.holidays,
            closing_time=settings.closing_time,
        )

    def describe(self) -> dict:
        """GET /api/v1/calendar/."""
        return {
            "timezone": self.zone.key,
            "weekend": [WEEKDAYS[day] for day in self.weekend],
            "holidays": self.holidays_code,
            "closing_time": self.closing_time.strftime("%H:%M"),
        }

    # --- the office's clock ---

    def now(self) -> datetime:
        return datetime.now(self.zone)

    def local(self, moment: datetime) -> datetime:
        """A moment as the office's clocks show it."""
        return moment.astimezone(self.zone)

    def today(self, now: datetime | None = None) -> date:
        """The date at the office at `now` (default: now)."""
        return self.local(now or datetime.now(UTC)).date()

    def closing(self, day: date) -> datetime:
        """The end of the working day `day`, as a moment (in UTC)."""
        local = datetime.combine(day, self.closing_time, tzinfo=self.zone)
        return local.astimezone(UTC)

    def words(self, moment: datetime) -> str:
        """A moment in messages and emails: "2027-04-05 17:00 AEST"."""
        return self.local(moment).strftime("%Y-%m-%d %H:%M %Z")

    # --- business days ---

    def holiday(self, day: date) -> str | None:
        """The public holiday's name on `day`, or None."""
        if self._holidays is None:
            return None
        return self._holidays.get(day)

    def is_business_day(self, day: date, closures: Mapping = NO_CLOSURES) -> bool:
        return (
            day.weekday() not in self.weekend
            and day not in closures
            and self.holiday(day) is None
        )

    def add_business_days(
        self, start: date, n: int, closures: Mapping = NO_CLOSURES
    ) -> date:
        """The Nth business day after `start` (n ≥ 1; start itself never counts)."""
        if n < 1:
            raise ValueError("n counts from 1")
        day, left = start, n
        for _ in range(SEARCH_LIMIT + n):
            day += timedelta(days=1)
            if self.is_business_day(day, closures):
                left -= 1
                if left == 0:
                    return day
        raise NoBusinessDay(f"no {n} business days after {start}")

    def due_in_business_days(
        self, n: int, closures: Mapping = NO_CLOSURES, now: datetime | None = None
    ) -> datetime:
        """When a deadline of N business days from today falls due: the
        office's closing time on the Nth business day after today."""
        return self.closing(self.add_business_days(self.today(now), n, closures))

    def previous_business_day(
        self, start: date, closures: Mapping = NO_CLOSURES
    ) -> date:
        """The last business day before `start` (start itself never counts)."""
        day = start
        for _ in range(SEARCH_LIMIT):
            day -= timedelta(days=1)
            if self.is_business_day(day, closures):
                return day
        raise NoBusinessDay(f"no business day before {start}")

    def overdue_cutoff(
        self, now: datetime | None = None, closures: Mapping = NO_CLOSURES
    ) -> datetime:
        """Tasks due before this moment were still due at the closing time of
        the first business day after their due date's day, when it is `now`:
        the start (midnight, office time) of the latest business day that has
        closed by now. A due date's day before that day has a business day
        after it that is over."""
        now = now or datetime.now(UTC)
        day = self.today(now)
        if not (self.is_business_day(day, closures) and self.closing(day) <= now):
            day = self.previous_business_day(day, closures)
        return datetime.combine(day, time(0), tzinfo=self.zone).astimezone(UTC)

    def special_days(self, first: date, last: date, closures: Mapping = NO_CLOSURES):
        """Holidays and closures from `first` to `last` inclusive, by date:
        [(date, name, kind)], a holiday whatever day it falls on."""
        days = []
        day = first
        while day <= last:
            name = self.holiday(day)
            if name is not None:
                days.append((day, name, "holiday"))
            if day in closures:
                days.append((day, closures[day], "closure"))
            day += timedelta(days=1)
        return days


DEFAULT = OfficeCalendar()


@lru_cache(maxsize=16)
def of(settings) -> OfficeCalendar:
    """The calendar the settings describe, made once per settings (the
    holidays package then expands each year once)."""
    return OfficeCalendar.from_settings(settings)
