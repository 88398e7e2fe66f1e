"""The `quizapp` command: exit codes, output shapes, and no traceback for bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from quizapp import __version__
from quizapp.cli import main
from quizapp.content import bundled_root
from tests.content import samples


def run(*args: str) -> tuple[int, str, str]:
    proc = subprocess.run([sys.executable, "-m", "quizapp", *args], capture_output=True, text=True)
    return proc.returncode, proc.stdout, proc.stderr


def test_version(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out.strip() == f"quizapp {__version__}"


def test_validate_bundled_banks_is_clean(capsys):
    assert main(["validate"]) == 0
    out = capsys.readouterr().out
    assert "no errors" in out
    assert "domain 3 Applications of Foundation Models" in out


def test_validate_json_shape(capsys):
    assert main(["validate", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    for key in ("questions", "case_studies", "flashcards"):
        assert isinstance(data[key], int)
    for key in ("by_domain", "by_task", "by_type"):
        assert isinstance(data[key], dict)
        assert all(isinstance(v, int) for v in data[key].values())
    assert set(data["by_domain"]) == {"1", "2", "3", "4", "5"}
    assert len(data["by_task"]) == 14
    assert data["errors"] == []
    assert sum(data["by_domain"].values()) == data["questions"] > 0


def test_validate_reports_errors_and_exits_1(write_bank, capsys):
    folder = write_bank(q=samples.ORDERING.replace('"1.3"', '"8.8"'))
    assert main(["validate", str(folder)]) == 1
    out = capsys.readouterr().out
    assert "q.yaml:3:11: task '8.8' is not a task statement" in out
    assert "1 error" in out


def test_validate_json_errors_are_objects(write_bank, capsys):
    folder = write_bank(q=samples.ORDERING.replace('"1.3"', '"8.8"'))
    assert main(["validate", "--json", str(folder)]) == 1
    errors = json.loads(capsys.readouterr().out)["errors"]
    assert len(errors) == 1
    assert set(errors[0]) == {"path", "line", "column", "message"}
    assert (errors[0]["line"], errors[0]["column"]) == (3, 11)


def test_validate_single_file_and_bank_dir(write_bank, capsys):
    folder = write_bank(q=samples.MATCHING)
    assert main(["validate", str(folder / "questions" / "q.yaml")]) == 0
    assert "1 questions" in capsys.readouterr().out
    assert main(["--bank-dir", str(folder), "validate", "--json"]) == 0
    with_bank = json.loads(capsys.readouterr().out)
    assert main(["validate", "--json"]) == 0
    bundled = json.loads(capsys.readouterr().out)
    assert with_bank["questions"] == bundled["questions"] + 1


@pytest.mark.parametrize(
    "args",
    [
        ["validate", "/no/such/path"],
        ["--bank-dir", "/no/such/dir", "validate"],
        ["--bank-dir", "/no/such/dir", "stats"],
        ["export", "-", "--bank-dir", "/no/such/dir"],
        ["frobnicate"],
        ["schema", "nonsense"],
        ["validate", "--jsn"],
    ],
)
def test_usage_errors_exit_2_without_traceback(args):
    code, out, err = run(*args)
    assert code == 2
    assert "usage: quizapp" in err
    assert "Traceback" not in out + err


def test_hostile_bank_gets_exit_1_without_traceback(write_bank):
    # Which nesting limit speaks (quizapp's, or libyaml's own from 0.2.6) and in what words does not
    # matter; a located problem, exit 1, no traceback and a prompt answer do.
    import re

    folder = write_bank(q="[" * 200_000)
    proc = subprocess.run(
        [sys.executable, "-m", "quizapp", "validate", str(folder)], capture_output=True, text=True, timeout=30
    )
    assert proc.returncode == 1
    assert re.search(r"^\S*q\.yaml:\d+:\d+: \S", proc.stdout, re.M)
    assert "Traceback" not in proc.stdout + proc.stderr


def _bank_documents(kind: str) -> list[object]:
    folder = bundled_root() / kind
    return [
        yaml.safe_load(p.read_text("utf-8"))
        for p in sorted(folder.glob("*.yaml"))
        if p.name not in ("blueprint.yaml", "lifecycle.yaml")  # not bank files
    ]


@pytest.mark.parametrize("kind", ["questions", "flashcards"])
def test_schema_is_valid_and_accepts_the_bundled_banks(kind, capsys):
    assert main(["schema", kind]) == 0
    schema = json.loads(capsys.readouterr().out)
    jsonschema.Draft202012Validator.check_schema(schema)
    documents = _bank_documents(kind)
    assert documents
    for document in documents:
        jsonschema.validate(document, schema)


def test_schema_defaults_to_question_files_and_rejects_typos(capsys):
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    bad = yaml.safe_load(samples.SINGLE.replace("correct: true", "corect: true", 1))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)
    jsonschema.validate(yaml.safe_load(samples.SINGLE), schema)


def test_blueprint_schema_accepts_bundled_blueprint(capsys):
    assert main(["schema", "blueprint"]) == 0
    schema = json.loads(capsys.readouterr().out)
    blueprint = yaml.safe_load((bundled_root() / "questions" / "blueprint.yaml").read_text())
    jsonschema.validate(blueprint, schema)


def test_python_m_quizapp_works():
    code, out, _ = run("--version")
    assert code == 0 and out.startswith("quizapp ")


def test_readme_documents_every_command():
    readme = (Path(__file__).parent.parent / "README.md").read_text()
    for text in (
        "quizapp validate",
        "quizapp schema",
        "--bank-dir",
        "--data-dir",
        "QUIZAPP_DATA_DIR",
        "yaml-language-server",
    ):
        assert text in readme


def test_stats_export_import_and_broken_db(tmp_path, monkeypatch):
    monkeypatch.setenv("QUIZAPP_DATA_DIR", str(tmp_path / "one"))
    code, out, err = run("stats", "--json")
    assert code == 0, err
    stats = json.loads(out)
    assert isinstance(stats["answered"], int) and isinstance(stats["reviewed"], int)
    assert isinstance(stats["exams"], list) and isinstance(stats["readiness"], dict)
    code, out, _ = run("stats")
    # No estimate without answers (issue 15): the pass chance says it is near zero, and why (issue 16).
    assert code == 0 and "Pass chance <1 %" in out and "Nothing studied yet" in out

    export = tmp_path / "progress.json"
    assert run("export", str(export))[0] == 0
    code, out, _ = run("--data-dir", str(tmp_path / "two"), "import", str(export))
    assert code == 0 and "imported" in out
    assert run("--data-dir", str(tmp_path / "two"), "export", "-")[1] == export.read_text()

    broken = tmp_path / "one" / "progress.db"
    broken.write_bytes(b"not a database at all" * 50)
    code, out, err = run("stats")
    assert code == 1 and str(broken) in err and "move-aside" in err and "Traceback" not in err
    assert broken.read_bytes() == b"not a database at all" * 50
    code, out, _ = run("move-aside")
    assert code == 0 and "moved" in out
    assert run("stats")[0] == 0


def test_import_of_a_non_export_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("QUIZAPP_DATA_DIR", str(tmp_path))
    bogus = tmp_path / "bogus.json"
    bogus.write_text('{"hello": 1}')
    code, _, err = run("import", str(bogus))
    assert code == 1 and "not a usable quizapp export" in err and "Traceback" not in err
    assert run("import", str(tmp_path / "missing.json"))[0] == 2
