"""LEOPARD_ESCALATE_UNSEEN: minutes per priority, read, shown, and refused
with its name."""

import pytest

from leopard.config import ConfigError, describe_settings, load_settings


def settings(tmp_path, value=None):
    env = {"LEOPARD_DATA_DIR": str(tmp_path)}
    if value is not None:
        env["LEOPARD_ESCALATE_UNSEEN"] = value
    return load_settings(env), env


def test_the_default_is_the_contracts_and_is_shown_as_written(tmp_path):
    s, env = settings(tmp_path)
    assert s.escalate_unseen == (("URGENT", 30), ("HIGH", 240))
    shown = {name: value for name, value, _ in describe_settings(s, env)}
    assert shown["LEOPARD_ESCALATE_UNSEEN"] == "URGENT=30,HIGH=240"


@pytest.mark.parametrize(
    "value, pairs, shown",
    [
        ("URGENT=1", (("URGENT", 1),), "URGENT=1"),
        (" high = 60 , low=1440", (("HIGH", 60), ("LOW", 1440)), "HIGH=60,LOW=1440"),
        ("off", (), "off"),
        ("OFF", (), "off"),
    ],
)
def test_a_setting_is_read_into_pairs(tmp_path, value, pairs, shown):
    s, env = settings(tmp_path, value)
    assert s.escalate_unseen == pairs
    assert (
        dict((n, v) for n, v, _ in describe_settings(s, env))["LEOPARD_ESCALATE_UNSEEN"]
        == shown
    )


@pytest.mark.parametrize(
    "value",
    [
        "URGENT",
        "URGENT=0",
        "URGENT=-5",
        "URGENT=1.5",
        "SOON=30",
        "HIGH=1,HIGH=2",
        "URGENT=30,",
        "URGENT=525601",
        "URGENT=\uff11",
    ],
)
def test_a_bad_value_is_refused_with_its_name_and_the_form(tmp_path, value):
    with pytest.raises(ConfigError) as err:
        settings(tmp_path, value)
    message = str(err.value)
    assert message.startswith("LEOPARD_ESCALATE_UNSEEN must list PRIORITY=MINUTES")
    assert repr(value) in message
