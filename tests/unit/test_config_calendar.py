"""The office calendar's settings: read, shown, and refused with their names."""

from datetime import time

import pytest

from leopard.config import ConfigError, describe_settings, load_settings


def test_the_calendar_defaults_match_the_contract(tmp_path):
    s = load_settings({"LEOPARD_DATA_DIR": str(tmp_path)})
    assert (s.timezone.key, s.holidays, s.weekend) == ("UTC", None, (5, 6))
    assert s.closing_time == time(17, 0)
    assert s.expiry_reminder_days == (180, 90, 30, 7)


def test_the_calendar_settings_are_read_and_shown_as_written(tmp_path):
    env = {
        "LEOPARD_DATA_DIR": str(tmp_path),
        "LEOPARD_TIMEZONE": "Australia/Sydney",
        "LEOPARD_HOLIDAYS": "au-nsw",
        "LEOPARD_WEEKEND": "Friday,sat",
        "LEOPARD_CLOSING_TIME": "16:30",
        "LEOPARD_EXPIRY_REMINDER_DAYS": "7,30,365",
    }
    s = load_settings(env)
    assert (s.timezone.key, s.holidays, s.weekend) == (
        "Australia/Sydney",
        "AU-NSW",
        (4, 5),
    )
    assert (s.closing_time, s.expiry_reminder_days) == (time(16, 30), (365, 30, 7))
    shown = {name: value for name, value, _ in describe_settings(s, env)}
    assert shown["LEOPARD_WEEKEND"] == "Fri,Sat"
    assert shown["LEOPARD_CLOSING_TIME"] == "16:30"
    assert shown["LEOPARD_EXPIRY_REMINDER_DAYS"] == "365,30,7"
    assert shown["LEOPARD_TIMEZONE"] == "Australia/Sydney"
    assert load_settings({**env, "LEOPARD_WEEKEND": "none"}).weekend == ()


@pytest.mark.parametrize(
    "name, value, words",
    [
        ("LEOPARD_TIMEZONE", "Mars/Olympus_Mons", "IANA time zone"),
        ("LEOPARD_TIMEZONE", "../../etc/passwd", "IANA time zone"),
        ("LEOPARD_HOLIDAYS", "XX", "holidays package"),
        ("LEOPARD_HOLIDAYS", "AU-ZZZ", "holidays package"),
        ("LEOPARD_WEEKEND", "Sat,Funday", "Mon,Tue"),
        ("LEOPARD_WEEKEND", "Sat,sat", "distinct"),
        ("LEOPARD_WEEKEND", "Mon,Tue,Wed,Thu,Fri,Sat,Sun", "no working day"),
        ("LEOPARD_CLOSING_TIME", "25:00", "HH:MM"),
        ("LEOPARD_CLOSING_TIME", "5pm", "HH:MM"),
        ("LEOPARD_CLOSING_TIME", "17:0", "HH:MM"),
        ("LEOPARD_EXPIRY_REMINDER_DAYS", "0,7", "from 1 to 3660"),
        ("LEOPARD_EXPIRY_REMINDER_DAYS", "30,soon", "whole days"),
    ],
)
def test_a_bad_calendar_setting_is_refused_with_its_name(tmp_path, name, value, words):
    with pytest.raises(ConfigError) as err:
        load_settings({"LEOPARD_DATA_DIR": str(tmp_path), name: value})
    assert str(err.value).startswith(f"{name} ")
    assert words in str(err.value)
    assert "\n" not in str(err.value)
