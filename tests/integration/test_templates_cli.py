"""`templates import FILE` / `templates export FILE`: the documented example
file imports, a second import changes nothing, and export writes it back."""

import json
from types import SimpleNamespace

import pytest

from leopard import commands

from ..support.common import ROOT

EXAMPLE = ROOT / "docs" / "templates-example.json"


async def run(settings, action, file, capsys) -> str:
    assert (
        await commands.templates(settings, SimpleNamespace(action=action, file=file))
        == 0
    )
    return capsys.readouterr().out.strip()


async def test_the_example_imports_once_and_exports_back(
    settings, engine, tmp_path, capsys
):
    first = await run(settings, "import", str(EXAMPLE), capsys)
    async with engine.acquire() as conn:
        stamps = await (
            await conn.execute(
                "SELECT name, updated_at FROM task_templates ORDER BY id"
            )
        ).fetchall()
    assert first == "2 created, 0 updated, 0 unchanged"
    again = await run(settings, "import", str(EXAMPLE), capsys)
    assert again == "0 created, 0 updated, 2 unchanged"
    async with engine.acquire() as conn:
        after = await (
            await conn.execute(
                "SELECT name, updated_at FROM task_templates ORDER BY id"
            )
        ).fetchall()
    assert after == stamps  # nothing was touched
    out = tmp_path / "templates.json"
    said = await run(settings, "export", str(out), capsys)
    assert said.endswith(f"templates written to {out}")
    exported = {t["name"]: t for t in json.loads(out.read_text())["templates"]}
    for template in json.loads(EXAMPLE.read_text())["templates"]:
        got = exported[template["name"]]
        assert {k: got[k] for k in ("visa_type", "on_status", "active")} == {
            k: template[k] for k in ("visa_type", "on_status", "active")
        }
        assert [t["title"] for t in got["tasks"]] == [
            t["title"] for t in template["tasks"]
        ]
        assert all(t["assign_to"] for t in got["tasks"])


async def test_an_import_changes_a_template_matched_by_name(
    settings, engine, tmp_path, capsys
):
    template = {
        "name": "Student visa lodged",
        "visa_type": "Student (500)",
        "on_status": "VISA_APPLIED",
        "tasks": [{"title": "Check the CoE"}],
    }
    path = tmp_path / "one.json"
    path.write_text(json.dumps({"templates": [template]}))
    await run(settings, "import", str(path), capsys)
    template["tasks"].append({"title": "Check the OSHC", "due_in_business_days": 3})
    path.write_text(
        json.dumps({"templates": [{**template, "name": "STUDENT visa lodged"}]})
    )
    assert await run(settings, "import", str(path), capsys) == (
        "0 created, 1 updated, 0 unchanged"
    )


@pytest.mark.parametrize(
    "text, words",
    [
        ("not json", "is not JSON"),
        ('{"templates": {}}', 'expected {"templates": [...]}'),
        (
            '{"templates": [{"name": "x", "on_status": "GRANTED", "tasks": []}]}',
            "template 1",
        ),
    ],
)
async def test_a_bad_file_is_one_clear_line_and_imports_nothing(
    settings, tmp_path, text, words
):
    path = tmp_path / "bad.json"
    path.write_text(text)
    with pytest.raises(commands.CommandError) as err:
        await commands.templates(
            settings, SimpleNamespace(action="import", file=str(path))
        )
    assert words in str(err.value)


async def test_a_missing_file_is_one_clear_line(settings, tmp_path):
    missing = SimpleNamespace(action="import", file=str(tmp_path / "none.json"))
    with pytest.raises(commands.CommandError) as err:
        await commands.templates(settings, missing)
    assert "cannot read" in str(err.value) and "No such file" in str(err.value)
