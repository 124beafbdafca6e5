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
    lesson = Teach.of("Šta je MEGA program?", "about", "naled")
    outcome = try_edit(files, lesson, save=True, who="Ана")
    assert outcome.saved_as, outcome.problems
    assert outcome.preview is not None
    assert any(c.kind == NEWLY_ANSWERED and c.asked.text == lesson.question for c in outcome.preview.changes)
    engine = Engine(load_bundle(files.knowledge, files.intents)[0])
    for asked in ("Шта је МЕГА програм?", "sta je mega program", "ŠTA JE MEGA PROGRAM"):
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
    first = try_edit(files, Teach.of("Šta je MEGA program?", "about", "naled"))
    try_edit(files, Teach.of("Da li je Niš član Interpola?", "fallback"), save=True, who="Петар")
    with pytest.raises(Conflict) as refused:
        try_edit(files, Teach.of("Šta je MEGA program?", "about", "naled"), based_on=first.based_on, save=True)
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
    assert main(["teach", *where, "Šta je MEGA program?", "about", "naled", "--as", "Ана"]) == 0
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
    Recorder(Stats(), store).note(engine.answer("Šta je MEGA program?"), 0.0, "web")
    Recorder(Stats(), store).vote("about", "skgo", helpful=False, question="Шта ради СКГО?", channel="web")
    database.close()
    monkeypatch.setenv("BOT_DATA_DIR", str(files.data_dir))
    where = ["--knowledge", str(files.knowledge), "--intents", str(files.intents)]
    assert main(["report", *where]) == 0
    before = capsys.readouterr().out
    assert "Šta je MEGA program?" in before and "✓ бот сада одговара" not in before
    assert "Шта ради СКГО?" in before and "unhelpful 1" in before  # a 👎 with its question is a group too
    assert main(["teach", *where, "Šta je MEGA program?", "about", "naled", "--as", "Ана"]) == 0
    capsys.readouterr()
    assert main(["report", *where]) == 0
    assert "✓ бот сада одговара: about / naled" in capsys.readouterr().out
