"""Teaching and previewing an edit, without a browser: what `teach`, `diff` and the staff page rely on.

The preview must catch the harmful edits staff made by hand before (issue 20):
an alias `МЕГА` on NALED changes `Da li je Niš član UEFA?` and needs a
confirmation; a lesson is refused with a sentence when its intent or network
does not fit; a taught question is answered in either script; a save based on
an old version is refused and names who changed what since.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.cli import main
from bot.drafts import Conflict
from bot.editing import Files, try_edit
from bot.engine import Engine
from bot.knowledge_edits import NetworkEdit
from bot.loader import PROJECT_ROOT, load_bundle
from bot.preview import NEWLY_ANSWERED, NEWLY_REFUSED
from bot.teaching import Teach


@pytest.fixture
def files(tmp_path: Path) -> Files:
    shutil.copytree(PROJECT_ROOT / "knowledge", tmp_path / "knowledge")
    shutil.copytree(PROJECT_ROOT / "intents", tmp_path / "intents")
    data = tmp_path / "data"
    return Files(tmp_path / "knowledge" / "networks.yaml", tmp_path / "intents", data, data / "versions", data / "m")


def test_the_mega_alias_on_naled_lists_the_uefa_question_and_needs_confirmation(files: Files) -> None:
    aliases = "\n".join([*load_bundle(files.knowledge, files.intents)[0].knowledge.by_id["naled"].aliases, "МЕГА"])
    edit = NetworkEdit("naled", fields={"aliases": aliases})
    outcome = try_edit(files, edit, save=True)  # not confirmed: not saved
    assert outcome.preview is not None and outcome.saved_as is None
    uefa = [c for c in outcome.preview.changes if c.asked.text == "Da li je Niš član UEFA?"]
    assert uefa and uefa[0].risky and uefa[0].kind == NEWLY_REFUSED
    assert outcome.needs_confirmation
    assert "      - МЕГА\n" not in files.knowledge.read_text(encoding="utf-8")
    saved = try_edit(files, edit, based_on=outcome.based_on, save=True, confirmed=True, who="Ана")
    assert saved.saved_as and "      - МЕГА\n" in files.knowledge.read_text(encoding="utf-8")
    assert edit.describe() == "naled: aliases"


def test_a_lesson_is_answered_in_both_scripts_and_keeps_the_file_comments(files: Files) -> None:
    lesson = Teach.of("Šta je bio MEGA program?", "about", "naled")
    outcome = try_edit(files, lesson, save=True, who="Ана")
    assert outcome.saved_as, outcome.problems
    assert outcome.preview is not None
    assert any(c.kind == NEWLY_ANSWERED and c.asked.text == lesson.question for c in outcome.preview.changes)
    engine = Engine(load_bundle(files.knowledge, files.intents)[0])
    for asked in ("Шта је био МЕГА програм?", "sta je bio mega program", "ŠTA JE BIO MEGA PROGRAM"):
        answer = engine.answer(asked)
        assert (answer.intent, answer.network) == ("about", "naled"), asked
    taught = (files.intents / "taught.yml").read_text(encoding="utf-8")
    assert taught.startswith("# ") and "network: naled" in taught


@pytest.mark.parametrize(
    ("intent", "network", "says"),
    [("seat", None, "изаберите и мрежу"), ("list", "naled", "мрежу изоставите"), ("nema", None, "не постоји"),
     ("about", "nepostoji", "нема у knowledge")],
)  # fmt: skip
def test_a_lesson_that_does_not_fit_is_refused_with_a_sentence(
    files: Files, intent: str, network: str | None, says: str
) -> None:
    outcome = try_edit(files, Teach.of("Шта је МЕГА?", intent, network), save=True)
    assert outcome.saved_as is None and says in " ".join(outcome.problems)


def test_a_save_on_an_old_version_is_refused_and_says_who_changed_what(files: Files) -> None:
    first = try_edit(files, Teach.of("Šta je bio MEGA program?", "about", "naled"))
    # (confirmed: the preview shows a labelled question this example makes a fallback, so saving needs a yes)
    saved = try_edit(
        files, Teach.of("Da li je Niš član Interpola?", "fallback"), save=True, confirmed=True, who="Петар"
    )
    assert saved.saved_as
    with pytest.raises(Conflict) as refused:
        try_edit(files, Teach.of("Šta je bio MEGA program?", "about", "naled"), based_on=first.based_on, save=True)
    from bot.editing import changes_since

    told = changes_since(files, refused.value.based_on)
    assert "Петар" in told and "Interpola" in told


def test_a_fact_edit_breaks_nothing_when_it_keeps_what_questions_ask(files: Files) -> None:
    bundle = load_bundle(files.knowledge, files.intents)[0]
    size = bundle.knowledge.by_id["naled"].facts["size"]
    text = size.text.replace("чланова", "чланова, привредника и општина")
    outcome = try_edit(files, NetworkEdit("naled", facts={"size": (text, size.source)}), save=True, who="Ана")
    assert outcome.saved_as and not outcome.needs_confirmation
    comments = [line for line in files.knowledge.read_text(encoding="utf-8").splitlines() if line.startswith("#")]
    original = [
        line for line in (PROJECT_ROOT / "knowledge" / "networks.yaml").read_text().splitlines() if line[:1] == "#"
    ]
    assert comments == original


def test_teach_and_diff_from_the_shell(files: Files, capsys: pytest.CaptureFixture[str], monkeypatch) -> None:
    monkeypatch.setenv("BOT_DATA_DIR", str(files.data_dir))
    where = ["--knowledge", str(files.knowledge), "--intents", str(files.intents)]
    assert main(["teach", *where, "Šta je bio MEGA program?", "about", "naled", "--as", "Ана"]) == 0
    out = capsys.readouterr().out
    assert "Грађанин би сада добио" in out and "NALED" in out and "Сачувано као верзија" in out
    assert main(["teach", *where, "Шта је МЕГА?", "seat"]) == 1
    assert "изаберите и мрежу" in capsys.readouterr().out
    assert main(["diff", *where]) == 0  # the version saved by teach is the kept one: nothing differs
    assert "ниједан други одговор се не мења" in capsys.readouterr().out
    assert main(["versions", *where]) == 0  # the version teach saved names who saved it
    assert "сачувао/ла Ана" in capsys.readouterr().out


def test_report_marks_a_group_the_bot_answers_since_it_was_taught(files: Files, capsys, monkeypatch) -> None:
    from bot.recording import Recorder, Stats
    from bot.storage.database import Database
    from bot.storage.questions import QuestionStore

    database = Database(files.data_dir)
    store = QuestionStore(database)
    database.register(store)
    database.open()
    engine = Engine(load_bundle(files.knowledge, files.intents)[0])
    Recorder(Stats(), store).note(engine.answer("Šta je bio MEGA program?"), 0.0, "web")
    Recorder(Stats(), store).vote("about", "skgo", helpful=False, question="Шта ради СКГО?", channel="web")
    database.close()
    monkeypatch.setenv("BOT_DATA_DIR", str(files.data_dir))
    where = ["--knowledge", str(files.knowledge), "--intents", str(files.intents)]
    assert main(["report", *where]) == 0
    before = capsys.readouterr().out
    assert "Šta je bio MEGA program?" in before and "✓ бот сада одговара" not in before
    assert "Шта ради СКГО?" in before and "unhelpful 1" in before  # a 👎 with its question is a group too
    assert main(["teach", *where, "Šta je bio MEGA program?", "about", "naled", "--as", "Ана"]) == 0
    capsys.readouterr()
    assert main(["report", *where]) == 0
    assert "✓ бот сада одговара: научено: about / naled" in capsys.readouterr().out


def test_a_taught_entry_written_by_hand_is_checked_with_the_right_advice(files: Files) -> None:
    from bot.loader import check_files

    (files.intents / "taught.yml").write_text(
        "taught:\n  - question: Ко председава Лигом?\n    intent: seat\n"
        "  - question: Листа мрежа молим\n    intent: list\n    network: naled\n",
        encoding="utf-8",
    )
    _, problems = check_files(files.knowledge, files.intents)
    said = [str(p) for p in problems if p.is_error]
    assert any("taught.yml:2:" in p and "додајте `network`" in p for p in said), said
    assert any("taught.yml:4:" in p and "обришите `network`" in p for p in said), said


def test_a_confirmation_holds_only_for_the_edit_that_was_previewed(files: Files) -> None:
    aliases = "\n".join([*load_bundle(files.knowledge, files.intents)[0].knowledge.by_id["naled"].aliases, "МЕГА"])
    seen = try_edit(files, NetworkEdit("naled", fields={"aliases": aliases}))
    assert seen.needs_confirmation
    changed = NetworkEdit("naled", fields={"aliases": aliases + "\nУЕФА"})  # edited again after the preview
    refused = try_edit(files, changed, save=True, confirmed=True, previewed=seen.edited_version)
    assert refused.saved_as is None and refused.needs_confirmation  # previewed again, not saved
    saved = try_edit(files, changed, save=True, confirmed=True, previewed=refused.edited_version, who="Ана")
    assert saved.saved_as and saved.preview is None  # confirmed what was shown: saved without asking again


def test_teaching_a_question_again_in_the_other_script_replaces_the_lesson(files: Files) -> None:
    assert try_edit(files, Teach.of("Šta je bio MEGA program?", "about", "naled"), save=True).saved_as
    assert try_edit(files, Teach.of("Шта је био МЕГА програм?", "fallback"), save=True, confirmed=True).saved_as
    taught = (files.intents / "taught.yml").read_text(encoding="utf-8")
    assert taught.count("question:") == 1 and "intent: fallback" in taught
    answer = Engine(load_bundle(files.knowledge, files.intents)[0]).answer("sta je bio mega program")
    assert answer.intent == "fallback"


def test_restore_refuses_when_someone_saved_while_it_asked(files: Files, capsys: pytest.CaptureFixture[str]) -> None:
    import io

    from bot import shell_files
    from bot.versions import Versions

    first = try_edit(files, Teach.of("Šta je bio MEGA program?", "about", "naled"), save=True, who="Ана")
    # (confirmed: the preview shows a labelled question this lesson makes a fallback, `jel nis u naledu od skoro
    # ili odavno`, so saving needs a yes; this test is about the restore)
    interpol = Teach.of("Da li je Niš član Interpola?", "fallback")
    assert try_edit(files, interpol, save=True, confirmed=True, who="Ана").saved_as
    versions = Versions(files.versions)

    class SavesWhileAsked(io.StringIO):
        def isatty(self) -> bool:
            return True

        def readline(self, *_: object) -> str:
            try_edit(files, Teach.of("Ko je osnovao ECAD?", "founded", "ecad"), save=True, who="Петар")
            return "d\n"

    assert first.saved_as
    code = shell_files.restore(
        versions, first.saved_as, files.knowledge, files.intents, files.data_dir / "backups", answers=SavesWhileAsked()
    )
    out = capsys.readouterr().out
    assert code != 0 and "у међувремену" in out and "Петар" in out, out
    assert "Ko je osnovao ECAD?" in (files.intents / "taught.yml").read_text(encoding="utf-8")  # nothing lost


def test_a_relative_data_folder_does_not_break_the_preview(tmp_path: Path, monkeypatch) -> None:
    from bot.preview import stored_questions
    from bot.storage.database import database_path

    monkeypatch.chdir(tmp_path)
    (tmp_path / "data").mkdir()
    sqlite3 = __import__("sqlite3")
    with sqlite3.connect(database_path(tmp_path / "data")) as db:
        db.execute("CREATE TABLE unanswered (id INTEGER PRIMARY KEY, text TEXT)")
        db.execute("INSERT INTO unanswered (text) VALUES ('Šta je MEGA?')")
    assert stored_questions(Path("data")) == ["Šta je MEGA?"]


def test_kept_answers_are_not_used_once_the_code_changed(files: Files, monkeypatch) -> None:
    from bot import reasking
    from bot.reasking import Said, Side, answers

    engine = Engine(load_bundle(files.knowledge, files.intents)[0])
    side = Side(files.knowledge, files.intents, "v1", engine)
    kept = files.data_dir / "previews"
    first = answers(side, ["sta je naled"], kept, None)
    stale = Said("seat", "skgo", ("skgo",), "stale")
    reasking._write(kept, "v1", {"sta je naled": stale})
    assert answers(side, ["sta je naled"], kept, None) == [stale]  # kept: read, not asked
    monkeypatch.setattr(reasking, "code_version", lambda: "other-code")
    assert answers(side, ["sta je naled"], kept, None) == first  # another code: asked again


def test_the_console_does_not_load_the_staff_machinery() -> None:
    """`ask` and `chat` import neither ruamel.yaml, prometheus_client, multiprocessing nor sqlite3 (what a test
    runner loaded before, coverage's sqlite3 say, does not count)."""
    import subprocess
    import sys

    heavy = "('ruamel', 'prometheus_client', 'multiprocessing', 'sqlite3')"
    code = (
        "import sys; before = set(sys.modules); import bot.cli, bot.engine; "
        f"print(sorted(m for m in {heavy} if m in sys.modules and m not in before))"
    )
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=PROJECT_ROOT)
    assert shown.stdout.strip() == "[]"


def test_a_save_that_changes_nothing_is_not_recorded(files: Files) -> None:
    outcome = try_edit(files, NetworkEdit("naled", fields={}), save=True, who="Ана")
    assert outcome.saved_as is None and outcome.problems == ["Нема измене: датотеке би остале исте."]
    from bot import audit

    assert audit.read(files.data_dir, 10) == []


@pytest.mark.parametrize("members", ["²", "9" * 5000, "300 чланова"])
def test_a_number_field_that_is_not_a_number_is_a_sentence_not_a_crash(files: Files, members: str) -> None:
    outcome = try_edit(files, NetworkEdit("naled", fields={"members": members}), save=True)
    assert outcome.saved_as is None and outcome.problems


def test_the_preview_reasks_the_most_asked_stored_questions_first(tmp_path: Path) -> None:
    import sqlite3

    from bot.preview import stored_questions
    from bot.storage.database import database_path

    tmp_path.joinpath("data").mkdir()
    with sqlite3.connect(database_path(tmp_path / "data")) as db:
        db.execute("CREATE TABLE unanswered (id INTEGER PRIMARY KEY, text TEXT)")
        db.executemany("INSERT INTO unanswered (text) VALUES (?)", [(f"q{i % 5}",) for i in range(12)])
        db.executemany("INSERT INTO unanswered (text) VALUES (?)", [(f"junk {i}",) for i in range(5)])
    # q0 and q1 asked three times, the rest twice; junk once each, and last: the most asked first, then the latest
    assert stored_questions(tmp_path / "data", limit=3) == ["q1", "q0", "q4"]
