"""LEOPARD_SMTP_URL and the other email settings, read and refused."""

import pytest

from leopard.config import ConfigError, SmtpTarget, load_settings, smtp_target


def test_email_is_off_by_default_and_the_public_url_follows_host_and_port(tmp_path):
    s = load_settings({"LEOPARD_DATA_DIR": str(tmp_path), "LEOPARD_HOST": "10.0.0.2"})
    assert s.smtp_url is None and smtp_target(s.smtp_url) is None
    assert (s.email_from, s.email_interval) == ("leopard@localhost", 60.0)
    assert s.inbox_url() == "http://10.0.0.2:8080/"


def test_the_email_settings_are_read(tmp_path):
    s = load_settings(
        {
            "LEOPARD_DATA_DIR": str(tmp_path),
            "LEOPARD_SMTP_URL": "log:",
            "LEOPARD_EMAIL_FROM": "inbox@office.example",
            "LEOPARD_EMAIL_INTERVAL": "5",
            "LEOPARD_PUBLIC_URL": "https://leopard.office.example/app",
        }
    )
    assert smtp_target(s.smtp_url) == SmtpTarget("log")
    assert (s.email_from, s.email_interval) == ("inbox@office.example", 5.0)
    assert s.inbox_url() == "https://leopard.office.example/app/"


@pytest.mark.parametrize(
    "url, target",
    [
        (
            "smtp://mailer:p%40ss@mail.example:2525",
            SmtpTarget("smtp", "mail.example", 2525, "mailer", "p@ss"),
        ),
        ("smtp://mail.example", SmtpTarget("smtp", "mail.example", 25)),
        (
            "smtps://u:pw@mail.example",
            SmtpTarget("smtp", "mail.example", 465, "u", "pw", use_tls=True),
        ),
        (
            "smtp://u:pw@mail.example:587?starttls=1",
            SmtpTarget("smtp", "mail.example", 587, "u", "pw", start_tls=True),
        ),
    ],
)
def test_smtp_urls_name_the_server_the_login_and_the_tls(url, target):
    assert smtp_target(url) == target


def test_a_target_shows_its_server_but_never_its_password(tmp_path):
    url = "smtp://mailer:hunter2-secret@mail.example:2525"
    target = smtp_target(url)
    assert str(target) == "mail.example:2525"
    assert "hunter2" not in repr(target)
    s = load_settings({"LEOPARD_DATA_DIR": str(tmp_path), "LEOPARD_SMTP_URL": url})
    assert s.smtp_url == url and "hunter2" not in repr(s)


@pytest.mark.parametrize(
    "name, value",
    [
        ("LEOPARD_SMTP_URL", "http://user:hunter2@mail.example"),
        ("LEOPARD_SMTP_URL", "smtp://user:hunter2@"),
        ("LEOPARD_SMTP_URL", "smtp://user:hunter2@mail.example:notaport"),
        ("LEOPARD_SMTP_URL", "smtp://user:hunter2@mail.example?starttls=maybe"),
        ("LEOPARD_EMAIL_FROM", "nobody"),
        ("LEOPARD_EMAIL_INTERVAL", "0"),
        ("LEOPARD_PUBLIC_URL", "leopard.example"),
    ],
)
def test_a_bad_email_setting_is_refused_without_showing_a_password(
    tmp_path, name, value
):
    with pytest.raises(ConfigError) as err:
        load_settings({"LEOPARD_DATA_DIR": str(tmp_path), name: value})
    assert name in str(err.value)
    assert "hunter2" not in str(err.value)
