import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard.cli import build_parser, main
from dashboard.cliargs import progress_bar

FIXTURES = Path(__file__).parent / "fixtures"
COMMANDS = sorted(build_parser()._subparsers._group_actions[0].choices)  # noqa: SLF001


def test_every_command_is_documented_in_the_readme():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    for command in COMMANDS:
        assert f"alliance-atlas {command}" in readme, command


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command, capsys):
    with pytest.raises(SystemExit) as info:
        main([command, "--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert f"alliance-atlas {command}" in out and "--db" in out


def test_console_script_runs():
    result = subprocess.run([sys.executable, "-m", "dashboard.cli", "--version"],
                            capture_output=True, text=True, check=True)
    assert result.stdout.startswith("alliance-atlas ")


def test_ingest_reports_and_exits_nonzero_on_rejects(tmp_path: Path, capsys):
    db = tmp_path / "s.duckdb"
    assert main(["ingest", "--db", str(db), str(FIXTURES / "good")]) == 0
    assert "3 added" in capsys.readouterr().out
    code = main(["ingest", "--db", str(db), str(FIXTURES / "good"),
                 str(FIXTURES / "bad" / "unknown_actor.json")])
    captured = capsys.readouterr()
    assert code == 1
    assert "3 unchanged" in captured.out and "1 rejected" in captured.out
    assert "unknown_actor.json: record 1" in captured.err and "relations[1].target" in captured.err


def test_stats_and_missing_store(tmp_path: Path, capsys):
    db = tmp_path / "s.duckdb"
    assert main(["stats", "--db", str(db)]) == 1
    assert "no store at" in capsys.readouterr().err
    main(["ingest", "--db", str(db), str(FIXTURES / "good")])
    capsys.readouterr()
    assert main(["stats", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "articles: 3" in out and "2023-04-04 to 2024-06-23" in out


def test_schema_prints_json_schema(capsys):
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert "relations" in schema["properties"]


def test_resolve_is_date_aware(capsys):
    assert main(["resolve", "Blinken", "--on", "2024-06-21"]) == 0
    assert "USA" in capsys.readouterr().out
    assert main(["resolve", "Blinken", "--on", "2025-06-21"]) == 1
    assert "names no actor" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [
    ["resolve", "Blinken", "--on"],
    ["ingest", "a.json", "--published"],
    ["annotate", "a.txt", "--published"],
    ["convert", "a.json", "--to", "native", "--out", "o", "--published"],
    ["export", "--format", "csv", "--out", "o.csv", "--from"],
])
def test_bad_date_option_is_a_usage_error(argv, capsys):
    with pytest.raises(SystemExit) as info:
        main([*argv, "June"])
    assert info.value.code == 2
    assert "'June' is not a YYYY-MM-DD date" in capsys.readouterr().err


@pytest.mark.skipif(os.name != "posix", reason="a pseudo-terminal is POSIX's")
def test_the_progress_bar_draws_on_a_terminal_only(monkeypatch, capsys):
    import fcntl
    import struct
    import termios

    leader, follower = os.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    with os.fdopen(follower, "w") as terminal:
        monkeypatch.setattr(sys, "stderr", terminal)
        show = progress_bar()
        for done in range(1, 4):
            show(done, 3)
        terminal.flush()
    drawn = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # every writer has closed the terminal: all of it is read
            break
        if not chunk:
            break
        drawn += chunk
    os.close(leader)
    drawn = drawn.decode()
    assert "3/3" in drawn and "100%" in drawn
    monkeypatch.undo()
    show = progress_bar()  # captured stderr is not a terminal
    show(1, 1)
    assert capsys.readouterr().err == ""
