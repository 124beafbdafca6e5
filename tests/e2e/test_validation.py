"""Staff mistakes in `knowledge/` and `intents/`: each is found, placed on its line, and explained.

Every case edits one line of a copy of the real files, the way a staff member
would, and checks that the problem points at that line with a message naming
the mistake.  The expected line is found in the edited text, not hard-coded.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.intents import WEB_TEXTS
from bot.knowledge import Knowledge, read_knowledge
from bot.loader import PROJECT_ROOT, check_files
from bot.yamlsource import Problem
from tests.support.staff_files import copy_real_files
from tests.support.staff_files import edit as edit_file

NETWORKS = "knowledge/networks.yaml"
NLU = "intents/networks.yml"
CONVERSATION = "intents/conversation.yml"
RESPONSES = "intents/responses.yml"


@dataclass(frozen=True)
class Mistake:
    name: str
    file: str
    old: str  # text that occurs exactly once in the file
    new: str
    says: tuple[str, ...]  # fragments the message must contain
    at: str | None = None  # text of the line the problem must point at (default: the first line of `new`)
    noticed_late: bool = False  # a YAML parser may notice on the next line; the message then names this one
    severity: str = "error"
    whole: bool = False  # `says` is the one fragment, and it is the whole message


MISTAKES = [
    Mistake(
        "yaml syntax: unclosed bracket",
        NETWORKS,
        "    acronym: AVEC\n",
        "    acronym: [AVEC\n",
        ("YAML",),
        noticed_late=True,
    ),
    Mistake(
        "yaml syntax: bad indentation",
        NETWORKS,
        "    website: https://www.avecnet.net\n",
        "      website: https://www.avecnet.net\n",
        ("YAML",),
    ),
    Mistake(
        "missing required field",
        NETWORKS,
        "    website: https://www.avecnet.net\n",
        "",
        ("мрежа `avec`: недостаје обавезно поље `website`",),
        at="  - id: avec",
    ),
    Mistake(
        "unknown key (typo)",
        NETWORKS,
        "    website: https://www.ecad.net\n",
        "    webiste: https://www.ecad.net\n",
        ("мрежа `ecad`: непознато поље `webiste` (да ли сте мислили `website`?)",),
    ),
    Mistake("duplicate network id", NETWORKS, "  - id: skgo\n", "  - id: naled  # SKGO\n", ("`naled`", "понавља")),
    Mistake(
        "duplicate key",
        NETWORKS,
        "    acronym: AVEC\n",
        "    acronym: AVEC\n    acronym: AVE\n",
        ("acronym",),
        at="    acronym: AVE",
    ),
    Mistake(
        "alias naming another network",
        NETWORKS,
        "      - ЕКАД\n",
        "      - ЕКАД\n      - НАЛЕД\n",
        ("НАЛЕД", "већ означава мрежу"),
        at="      - НАЛЕД",
    ),
    Mistake(
        "malformed website",
        NETWORKS,
        "    website: https://naled.rs\n",
        "    website: naled.rs\n",
        ("мрежа `naled`: `website` није исправна веб-адреса (почиње са http:// или https://)",),
    ),
    Mistake(
        "malformed fact source",
        NETWORKS,
        "        source: http://www.energy-cities.eu/-In-a-nutshell-\n",
        "        source: energy-cities in a nutshell\n",
        ("мрежа `energy-cities`, чињеница `founded`: `energy-cities in a nutshell` није исправна веб-адреса",),
    ),
    Mistake(
        "empty fact",
        NETWORKS,
        "      joined: Град Ниш је члан Energy Cities од 2003. године.\n",
        "      joined: ''\n",
        ("мрежа `energy-cities`, чињеница `joined`: поље `joined` је празно",),
    ),
    Mistake(
        "unknown fact name",
        NETWORKS,
        "      joined: Град Ниш је члан Energy Cities од 2003. године.\n",
        "      jioned: Град Ниш је члан Energy Cities од 2003. године.\n",
        ("мрежа `energy-cities`, `facts`: непознато поље `jioned` (да ли сте мислили `joined`?)",),
    ),
    Mistake(
        "malformed network id",
        NETWORKS,
        "  - id: skgo\n",
        "  - id: SKGO мрежа\n",
        ("мрежа `SKGO мрежа`: `id` сме да садржи само мала латинична слова, цифре и цртице",),
    ),
    Mistake(
        "an example under two intents",
        NLU,
        "      - Шта је {network}?\n",
        "      - Шта је {network}?\n      - Здраво\n",
        ("`greeting`", "Здраво"),
        at="      - Здраво",
    ),
    Mistake(
        "unknown placeholder in an example",
        NLU,
        "      - Шта је {network}?\n",
        "      - Шта је {mreza}?\n",
        ("{mreza}", "{network}"),
    ),
    Mistake(
        "unmatched parenthesis in example alternatives",
        NLU,
        "      - Шта је {network}?\n",
        "      - (Шта је|Шта ради {network}?\n",
        ("заграде", "упарене"),
    ),
    Mistake(
        "example alternatives that give too many questions",
        NLU,
        "      - Шта је {network}?\n",
        "      - (а|б|в|г) (а|б|в|г) (а|б|в|г) (а|б) {network}?\n",
        ("128", "64", "поделите"),
    ),
    Mistake(
        "a detail sentence for a kind of question language.yml does not have",
        RESPONSES,
        "      where: Немамо податак о томе где је Ниш приступио мрежи {short}.\n",
        "      kada: Немамо податак о томе где је Ниш приступио мрежи {short}.\n",
        ("`kada`", "`focus`", "`where`"),
        at="  joined:",
    ),
    Mistake(
        "a flag that is not true or false",
        RESPONSES,
        "    about_nis: true\n    question: Којих",
        "    about_nis: да\n    question: Којих",
        ("`about_nis`", "true", "false"),
    ),
    Mistake(
        "example line without a dash",
        NLU,
        "      - Шта је {network}?\n",
        "      Шта је {network}?\n",
        ("- ",),
    ),
    Mistake(
        "unknown placeholder in an answer",
        RESPONSES,
        "    unknown: Немамо опис мреже {short}.\n",
        "    unknown: Немамо опис мреже {kratko}.\n",
        ("{kratko}",),
    ),
    Mistake(
        "intent with examples but no answer",
        CONVERSATION,
        "  - intent: greeting\n",
        "  - intent: greetings\n",
        ("`greetings`", "responses"),
        at="      - Здраво",
    ),
    Mistake(
        "field swallowed by the text block above it",
        NETWORKS,
        "          може бити другачији).\n        source: https://ecad.hemsida.eu/activ/M11Hallberg.html\n",
        "          може бити другачији).\n          source: https://ecad.hemsida.eu/activ/M11Hallberg.html\n",
        ("`source:`", "део тог текста", "`text:` (колона 9)"),
        at="          source: https://ecad.hemsida.eu/activ/M11Hallberg.html",
    ),
    Mistake(
        "fact swallowed by the fact above it",
        NETWORKS,
        "        подржавајући конвенције Уједињених нација против легализације дрога.\n      joined: >-\n",
        "        подржавајући конвенције Уједињених нација против легализације дрога.\n        joined: >-\n",
        ("`joined:`", "поља `about`", "колона 7"),
        at="        joined: >-",
    ),
    Mistake(
        "field indented deeper than a one-line text above it",
        NETWORKS,
        "        text: Седиште ECAD-а је у Стокхолму, у Шведској.\n        source:",
        "        text: Седиште ECAD-а је у Стокхолму, у Шведској.\n          source:",
        ("`source:`", "увучен дубље од `text:`", "колону 9"),
        at="          source: https://ecad.net/news/256-europes-mayors-push-for-green-and-inclusive-recovery",
    ),
    Mistake(
        "fact at the network's depth",
        NETWORKS,
        "    sources:\n      - https://www.ni.rs/mreze-gradova/\n\n  - id: energy-cities\n",
        "    founded: ECAD је основан 1994.\n    sources:\n      - https://www.ni.rs/mreze-gradova/\n\n"
        "  - id: energy-cities\n",
        ("`founded`", "погрешно увучено", "под `facts:`"),
    ),
    Mistake(
        "network field inside facts",
        NETWORKS,
        "      size: Energy Cities представља више од 1000 локалних власти из 30 земаља.\n    sources:\n",
        "      size: Energy Cities представља више од 1000 локалних власти из 30 земаља.\n      sources:\n",
        ("`sources`", "погрешно увучено", "колону у којој почиње `facts:`"),
        at="      sources:",
    ),
    Mistake(
        "tab in the indentation",
        NETWORKS,
        "      seat:\n        text: Седиште ECAD",
        "      seat:\n\ttext: Седиште ECAD",
        ("таб-знак", "само размаке"),
        at="\ttext: Седиште ECAD-а је у Стокхолму, у Шведској.",
    ),
    Mistake(
        "missing colon after a field name",
        NETWORKS,
        "        text: Седиште ECAD-а је у Стокхолму",
        "        text Седиште ECAD-а је у Стокхолму",
        ("`text`", "недостаје двотачка", "`text: …`"),
        at="        text Седиште ECAD-а је у Стокхолму, у Шведској.",
    ),
    Mistake(
        "missing colon before a text block",
        NETWORKS,
        "      size:\n        text: >-\n          ECAD окупља",
        "      size:\n        text >-\n          ECAD окупља",
        ("`text`", "недостаје двотачка"),
        at="        text >-",
    ),
    Mistake(
        "colon inside an alias",
        NETWORKS,
        "      - ЕКАД\n",
        "      - ЕКАД: градови\n",
        ("двотачку", 'под наводнике, нпр. - "ЕКАД: градови"'),
    ),
    Mistake(
        "text in „…“ quotes with a colon",
        NETWORKS,
        "        text: Седиште ECAD-а је у Стокхолму, у Шведској.",
        "        text: „Седиште ECAD-а: Стокхолм, у Шведској.“",
        ("наводнике „…“", 'обичне наводнике "…"'),
    ),
    Mistake(
        "a quote inside quoted text",
        NETWORKS,
        "        text: Седиште ECAD-а је у Стокхолму, у Шведској.",
        '        text: "Седиште "ECAD-а" је у Стокхолму, у Шведској."',
        ("још један наводник", "пишите „…“"),
    ),
    Mistake(
        "a website without http",
        NETWORKS,
        "    website: https://naled.rs\n",
        "    website: www.naled.rs\n",
        ("`website`", "http:// или https://"),
    ),
    Mistake(
        "a required field left empty",
        NETWORKS,
        "    name: Европски градови против дрога\n",
        "    name:\n",
        ("мрежа `ecad`: поље `name` је празно",),
        whole=True,
    ),
    Mistake(
        "an optional field left empty",
        NETWORKS,
        "    acronym: AVEC\n",
        "    acronym: ''\n",
        ("мрежа `avec`: поље `acronym` је празно (обришите га или упишите вредност)",),
        whole=True,
    ),
    Mistake(
        "an empty id",
        NETWORKS,
        "  - id: skgo\n",
        "  - id:\n",
        ("мрежа: поље `id` је празно",),
        whole=True,
    ),
    Mistake(
        "a website that is a list",
        NETWORKS,
        "    website: https://naled.rs\n",
        "    website: [https://naled.rs]\n",
        ("мрежа `naled`: поље `website` мора бити текст",),
        whole=True,
    ),
    Mistake(
        "a rule's flag that is not true or false",
        RESPONSES,
        "    small_talk: true\n    text: Нема на чему!",
        "    small_talk: да\n    text: Нема на чему!",
        ("одговор `thanks`: `small_talk` мора бити true или false",),
        whole=True,
    ),
    Mistake(
        "a flag only one intent may have, on a second",
        RESPONSES,
        "  greeting:\n    small_talk: true\n",
        "  greeting:\n    small_talk: true\n    lists_networks: true\n",
        ("одговор `greeting`: `lists_networks: true` већ има одговор `list`; само једна намера сме имати то својство",),
        at="  greeting:",
        whole=True,
    ),
    Mistake(
        "small talk on an intent that asks about a network",
        RESPONSES,
        "  link:\n    needs_network: true\n",
        "  link:\n    needs_network: true\n    small_talk: true\n",
        ("одговор `link`: `small_talk: true` тражи намеру без мреже",),
        at="  link:",
        whole=True,
    ),
    Mistake(
        "a network's id among clarify's offers",
        RESPONSES,
        "    offers: [about, joined, goal]\n",
        "    offers: [about, joined ecad, goal]\n",
        ("одговор `clarify`, `offers`: „joined ecad“ није намера која пита о мрежи, написана без `id` мреже",),
        at="  clarify:",
        whole=True,
    ),
    Mistake(
        "a fact no answer quotes as goal's `instead`",
        RESPONSES,
        "    instead: about\n",
        "    instead: opis\n",
        (
            "одговор `goal`, `instead`: `opis` није друга чињеница одговора са `fact` "
            "(могу: `about`, `founded`, `joined`, `seat`, `size`)",
        ),
        at="  goal:",
        whole=True,
    ),
    Mistake(
        "Serbian name written in Latin",
        NETWORKS,
        "    name: Европски градови против дрога\n",
        "    name: Evropski gradovi protiv droga\n",
        ("латиницом", "„Европски градови против дрога“"),
        severity="warning",
    ),
    Mistake(
        "Serbian alias written in Latin",
        NETWORKS,
        "      - градови против дроге\n",
        "      - gradovi protiv droge\n",
        ("`aliases`", "латиницом", "„градови против дроге“"),
        severity="warning",
    ),
    Mistake(
        "Serbian fact written in Latin",
        NETWORKS,
        "      joined: Град Ниш је члан Energy Cities од 2003. године.\n",
        "      joined: Grad Niš je član Energy Cities od 2003. godine.\n",
        ("`joined`", "латиницом", "„Град Ниш је члан"),
        severity="warning",
    ),
    Mistake(
        "Cyrillic lost to question marks",
        NETWORKS,
        "        text: Седиште ECAD-а је у Стокхолму, у Шведској.",
        "        text: ??????? ECAD-? ?? ? ?????????, ? ????????.",
        ("упитници „??“", "кодирању"),
        severity="warning",
    ),
    Mistake(
        "fact with no source anywhere",
        NETWORKS,
        "      size: Energy Cities представља више од 1000 локалних власти из 30 земаља.\n    sources:\n"
        "      - https://www.ni.rs/mreze-gradova/\n",
        "      size: Energy Cities представља више од 1000 локалних власти из 30 земаља.\n",
        ("чињеница `size`", "нема извор"),
        severity="warning",
    ),
    Mistake(
        "count of member countries that is not a number",
        NETWORKS,
        "    member_countries: 66\n",
        "    member_countries: шездесет шест\n",
        ("мрежа `league-of-historical-cities`: `member_countries` је цео број између 1 и 10000000",),
    ),
    Mistake(
        "count of member countries the size fact does not write",
        NETWORKS,
        "    member_countries: 66\n",
        "    member_countries: 67\n",
        ("`member_countries: 67` не пише у чињеници `size`", "бот ову вредност не користи"),
        severity="warning",
    ),
    Mistake(
        "a spelling of three words, which replacing a word or two at a time never finds",
        "intents/language.yml",
        "    da li: [dal, dali]\n",
        "    da li: [dal, dali, dal li je]\n",
        ("`spellings`, `da li`: „dal li je“ има више од две речи",),
    ),
    Mistake(
        "a misspelt scope under `negated_scopes`, whose negated words would then ask for nothing",
        "intents/language.yml",
        "    international: [nacionalna, domaca, srpska, republicka, drzavna, iz srbije, u srbiji]\n",
        "    internacional: [nacionalna, domaca, srpska, republicka, drzavna, iz srbije, u srbiji]\n",
        ("`negated_scopes`: „internacional“ није обухват",),
    ),
    Mistake(
        "a part of a number under a key that is no number, which would stop every question holding the word",
        "intents/language.yml",
        '    "90": [devedesete, devedesetoj, devedeseta]\n',
        '    "1990s": [devedesete, devedesetoj, devedeseta]\n',
        ("`number_parts`: „1990s“ није број у цифрама",),
    ),
]


@pytest.fixture
def files(tmp_path: Path) -> Path:
    return copy_real_files(tmp_path)


def edit(root: Path, file: str, old: str, new: str) -> None:
    edit_file(root / file, old, new)


def line_of(root: Path, file: str, line_text: str) -> int:
    lines = (root / file).read_text(encoding="utf-8").splitlines()
    matches = [number for number, line in enumerate(lines, 1) if line == line_text]
    assert len(matches) == 1, f"{line_text!r} must be one line of {file}"
    return matches[0]


def errors_of(root: Path, severity: str = "error") -> list[Problem]:
    _, problems = check_files(root / "knowledge" / "networks.yaml", root / "intents")
    return [p for p in problems if p.severity == severity]


def test_the_real_files_are_clean(files: Path) -> None:
    _, problems = check_files(files / "knowledge" / "networks.yaml", files / "intents")
    assert problems == []


def test_at_least_fifteen_kinds_of_mistakes_are_covered() -> None:
    assert len({m.name for m in MISTAKES}) >= 15


@pytest.mark.parametrize("mistake", MISTAKES, ids=[m.name for m in MISTAKES])
def test_mistake_is_reported_on_its_line(files: Path, mistake: Mistake) -> None:
    edit(files, mistake.file, mistake.old, mistake.new)
    expected_line = line_of(files, mistake.file, mistake.at or mistake.new.splitlines()[0])
    errors = errors_of(files, mistake.severity)
    assert errors, "the mistake went unnoticed"
    lines = {expected_line, expected_line + 1} if mistake.noticed_late else {expected_line}
    here = [p for p in errors if p.position.file.endswith(mistake.file) and p.position.line in lines]
    if mistake.noticed_late:
        here = [p for p in here if p.position.line == expected_line or f"реду {expected_line}" in p.message]
    assert here, f"nothing on {mistake.file}:{expected_line}; got:\n" + "\n".join(map(str, errors))
    assert any(all(fragment in p.message for fragment in mistake.says) for p in here), "\n".join(map(str, here))
    if mistake.whole:
        assert [p.message for p in here] == list(mistake.says)


def test_every_problem_reads_as_file_line_column_and_a_sentence(files: Path) -> None:
    edit(files, NETWORKS, "    website: https://www.ecad.net\n", "    webiste: https://www.ecad.net\n")
    problem = errors_of(files)[0]
    assert str(problem).startswith(
        f"{problem.position.file}:{problem.position.line}:{problem.position.column}: грешка: "
    )


def test_empty_and_non_yaml_files_are_explained(files: Path) -> None:
    (files / NETWORKS).write_text("", encoding="utf-8")
    assert any("празна" in p.message for p in errors_of(files))
    (files / NETWORKS).write_text("- just\n- a list\n", encoding="utf-8")
    assert any("кључ: вредност" in p.message for p in errors_of(files))


def test_repeated_example_in_one_intent_is_only_a_warning(files: Path) -> None:
    edit(files, CONVERSATION, "      - Здраво\n", "      - Здраво\n      - zdravo\n")
    _, problems = check_files(files / "knowledge" / "networks.yaml", files / "intents")
    assert [(p.severity, p.position.line) for p in problems] == [
        ("warning", line_of(files, CONVERSATION, "      - zdravo"))
    ]


def validate(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", "validate", str(root)], cwd=PROJECT_ROOT, capture_output=True, text=True
    )


def test_validate_exits_0_with_warnings_and_1_with_errors(files: Path) -> None:
    edit(files, CONVERSATION, "      - Здраво\n", "      - Здраво\n      - zdravo\n")
    warned = validate(files)
    assert warned.returncode == 0 and "упозорење" in warned.stdout
    edit(files, NETWORKS, "    website: https://naled.rs\n", "    website: naled.rs\n")
    failed = validate(files)
    assert failed.returncode == 1 and "грешка" in failed.stdout


def test_a_file_saved_in_windows_1250_is_caught_at_the_first_bad_letter(files: Path) -> None:
    text = (files / NETWORKS).read_text(encoding="utf-8")
    (files / NETWORKS).write_bytes(text.encode("cp1250", errors="replace"))  # Cyrillic becomes "?", č a byte
    first_bad = next(
        number
        for number, line in enumerate(text.splitlines(), 1)
        if any(byte >= 0x80 for byte in line.encode("cp1250", errors="replace"))
    )
    (problem,) = errors_of(files)
    assert (problem.position.line, problem.position.column) == (first_bad, 1)
    for advice in ("није у UTF-8", "Notepad", "LibreOffice", "VS Code", "restore"):
        assert advice in problem.message


def test_an_emptied_intents_file_is_an_error_not_a_warning(files: Path) -> None:
    (files / NLU).write_text("", encoding="utf-8")
    emptied = [p for p in errors_of(files) if p.position.file.endswith(NLU)]
    assert [(p.position.line, "датотека је празна" in p.message) for p in emptied] == [(1, True)]


def test_a_flag_the_rules_answer_with_left_on_no_intent_is_an_error(files: Path) -> None:
    edit(files, RESPONSES, "    describes_network: true\n", "")
    (problem,) = errors_of(files)
    assert problem.message == (
        "ниједан одговор нема `describes_network: true`: тачно једна намера мора имати то својство"
    )


def test_an_intent_whose_examples_were_all_deleted_is_an_error(files: Path) -> None:
    text = (files / NLU).read_text(encoding="utf-8")
    start = text.index("  - intent: founded\n")
    end = text.index("  - intent:", start + 1)
    (files / NLU).write_text(text[:start] + text[end:], encoding="utf-8")
    (problem,) = errors_of(files)
    assert problem.position.file.endswith(RESPONSES)
    assert problem.position.line == line_of(files, RESPONSES, "  founded:")
    assert "`founded` нема ниједан пример" in problem.message


@pytest.mark.parametrize(
    "new",
    [
        "    acronym: [AVEC\n",
        "    acronym: {AVEC\n",
        '    acronym: "AVEC\n',
        "    acronym: @AVEC\n",
        "    acronym: *AVEC\n",
        "    acronym: AVEC: мрежа\n",
        '    acronym: "AVEC" мрежа\n',
        '    acronym: "AV\\qEC"\n',
        "      acronym: AVEC\n",
        "   acronym: AVEC\n",
        "    - acronym: AVEC\n",
        "    acronym: AVEC\x07\n",
    ],
)
def test_every_yaml_syntax_error_is_a_serbian_sentence_with_the_english_in_parentheses(files: Path, new: str) -> None:
    edit(files, NETWORKS, "    acronym: AVEC\n", new)
    (problem,) = errors_of(files)
    serbian, _, english = problem.message.partition(" (")
    assert serbian.startswith("YAML синтакса: ")
    assert sum("а" <= char <= "ш" for char in serbian) > 20, problem.message  # a sentence in Cyrillic
    assert not any("a" <= char <= "z" for char in serbian.removeprefix("YAML синтакса: ").split("`")[0][:15])
    assert english.endswith(")")
    assert "облик није исправан" not in serbian  # the generic sentence is a gap in the table


def read_one_network(tmp_path: Path, body: str) -> tuple[Knowledge, list[Problem]]:
    path = tmp_path / "networks.yaml"
    path.write_text("networks:\n  - id: mreza\n    name: Мрежа\n    website: https://mreza.example\n" + body)
    knowledge, problems = read_knowledge(path, frozenset({"about", "seat", "size"}))
    return knowledge, list(problems)


def test_each_fact_takes_its_own_source_else_the_first_good_one_of_the_network(tmp_path: Path) -> None:
    knowledge, problems = read_one_network(
        tmp_path,
        "    facts:\n"
        "      about: Мрежа је пример.\n"
        "      seat:\n        text: Седиште је у Нишу.\n        source: http://mreza.example/sediste\n"
        "      size:\n        text: Има 10 чланова.\n"
        "    sources:\n      - mreza.example/o-nama\n      - https://mreza.example/o-nama\n",
    )
    (network,) = knowledge.networks
    assert {key: (fact.text, fact.source) for key, fact in network.facts.items()} == {
        "about": ("Мрежа је пример.", "https://mreza.example/o-nama"),
        "seat": ("Седиште је у Нишу.", "http://mreza.example/sediste"),
        "size": ("Има 10 чланова.", "https://mreza.example/o-nama"),
    }
    assert [p.message for p in problems] == [
        "мрежа `mreza`: `mreza.example/o-nama` није исправна веб-адреса (почиње са http:// или https://)"
    ]
    assert network.sources == ("https://mreza.example/o-nama",)


def test_a_fact_with_no_source_anywhere_cites_the_website_and_warns(tmp_path: Path) -> None:
    knowledge, problems = read_one_network(tmp_path, "    facts:\n      about: Мрежа је пример.\n")
    assert knowledge.networks[0].facts["about"].source == "https://mreza.example"
    assert [(p.severity, p.position.line) for p in problems] == [("warning", 6)]


def test_a_bad_own_source_falls_back_to_the_networks_source(tmp_path: Path) -> None:
    knowledge, problems = read_one_network(
        tmp_path,
        "    facts:\n      seat:\n        text: Седиште је у Нишу.\n        source: sediste\n"
        "    sources:\n      - https://mreza.example/o-nama\n",
    )
    assert knowledge.networks[0].facts["seat"].source == "https://mreza.example/o-nama"
    assert [p.message for p in problems] == [
        "мрежа `mreza`, чињеница `seat`: `sediste` није исправна веб-адреса (почиње са http:// или https://)"
    ]


@pytest.mark.parametrize(
    ("facts", "message"),
    [
        ("      seat: [Ниш]\n", "мрежа `mreza`, чињеница `seat`: поље `seat` мора бити текст"),
        ("      seat:\n        txt: Ниш\n", "мрежа `mreza`, чињеница `seat`: недостаје обавезно поље `text`"),
        (
            "      seat:\n        text: Ниш\n        about: x\n",
            "мрежа `mreza`, чињеница `seat`: поље `about` је погрешно",
        ),
        ("      seat:\n        text: ''\n", "мрежа `mreza`, чињеница `seat`: поље `text` је празно"),
        ("      - seat\n", "мрежа `mreza`, `facts`: очекује се скуп поља"),
    ],
)
def test_a_broken_fact_is_named_with_its_network(tmp_path: Path, facts: str, message: str) -> None:
    _, problems = read_one_network(tmp_path, "    facts:\n" + facts)
    assert any(p.message.startswith(message) and p.is_error for p in problems), [p.message for p in problems]


INDENTED_TEXT = "`text` и `source` пишу се под називом чињенице (нпр. `seat:`), увучени"


@pytest.mark.parametrize(
    ("body", "line", "message"),
    [
        (
            "    text: Ниш\n",
            5,
            f"мрежа `mreza`: поље `text` је погрешно увучено: {INDENTED_TEXT}",
        ),
        (
            "    seat: Ниш\n",
            5,
            "мрежа `mreza`: поље `seat` је погрешно увучено: чињенице се пишу под `facts:` мреже, увучене као "
            "остале чињенице",
        ),
        (
            "    facts:\n      sources: []\n",
            6,
            "мрежа `mreza`, `facts`: поље `sources` је погрешно увучено: ово је поље мреже: помакните га улево, у "
            "колону у којој почиње `facts:`",
        ),
        (
            "    facts:\n      source: https://mreza.example\n",
            6,
            f"мрежа `mreza`, `facts`: поље `source` је погрешно увучено: {INDENTED_TEXT}",
        ),
        (
            "    facts:\n      seat:\n        text: Ниш\n        size: 3\n",
            8,
            "мрежа `mreza`, чињеница `seat`: поље `size` је погрешно увучено: помакните га улево, у колону у којој "
            "почињу називи чињеница",
        ),
        ("    facts:\n      seat:\n        text:\n", 7, "мрежа `mreza`, чињеница `seat`: поље `text` је празно"),
        ("    facts:\n      about:\n", 6, "мрежа `mreza`, чињеница `about`: поље `about` је празно"),
        ("    facts: Ниш\n", 5, "мрежа `mreza`, `facts`: очекује се скуп поља (`кључ: вредност`)"),
        (
            "    facts:\n      seat:\n        text: Ниш\n        source:\n",
            8,
            "мрежа `mreza`, чињеница `seat`: поље `source` је празно (обришите га или упишите вредност)",
        ),
        (
            "    original_name:\n",
            5,
            "мрежа `mreza`: поље `original_name` је празно (обришите га или упишите вредност)",
        ),
        ("    aliases: [Мрежица, '']\n", 5, "мрежа `mreza`: ставка у `aliases` мора бити непразан текст"),
        (
            "    sources:\n      - mreza\n",
            6,
            "мрежа `mreza`: `mreza` није исправна веб-адреса (почиње са http:// или https://)",
        ),
        (
            "    facts:\n      about: Пример.\n",
            6,
            "мрежа `mreza`, чињеница `about`: чињеница нема извор (ни `source:` уз њу, ни `sources:` мреже): "
            "додајте адресу странице на којој пише; дотле бот као извор наводи сајт мреже",
        ),
    ],
)
def test_each_message_names_the_network_and_stands_on_its_line(
    tmp_path: Path, body: str, line: int, message: str
) -> None:
    _, problems = read_one_network(tmp_path, body)
    severity = "warning" if "нема извор" in message else "error"
    assert [(p.position.line, p.message) for p in problems if p.severity == severity] == [(line, message)]


def test_the_names_of_a_network_are_read_and_placed(tmp_path: Path) -> None:
    knowledge, problems = read_one_network(
        tmp_path, "    original_name: Example Network\n    acronym: МП\n    aliases:\n      - мрежица\n"
    )
    (network,) = knowledge.networks
    assert problems == []
    assert (network.original_name, network.acronym, network.aliases) == ("Example Network", "МП", ("мрежица",))
    assert [network.where_named(n).line for n in ("Мрежа", "Example Network", "МП")] == [3, 5, 6]
    assert network.where_named("непознато") == network.position


def test_a_repeated_id_names_the_line_of_the_first(tmp_path: Path) -> None:
    path = tmp_path / "networks.yaml"
    one = "  - id: mreza\n    name: Мрежа\n    website: https://mreza.example\n"
    path.write_text("networks:\n" + one + one.replace("Мрежа", "Друга"), encoding="utf-8")
    _, problems = read_knowledge(path, frozenset())
    assert [(p.position.line, p.message) for p in problems] == [
        (5, "мрежа `mreza`: `id` се понавља (први пут у реду 2)")
    ]


def test_the_web_pages_texts_must_all_be_there_and_nothing_else(files: Path) -> None:
    edit(files, "intents/web.yml", "  send: Пошаљи\n", "  sned: Пошаљи\n")
    problems = [(p.position.line, p.message) for p in errors_of(files)]
    assert problems == [
        (  # where the block's fields start, as for every missing field
            line_of(files, "intents/web.yml", "  title: Асистент Града Ниша за мреже градова"),
            "`web`: недостаје обавезно поље `send`",
        ),
        (
            line_of(files, "intents/web.yml", "  sned: Пошаљи"),
            "`web`: непознато поље `sned` (да ли сте мислили `send`?); дозвољена су: "
            + ", ".join(f"`{key}`" for key in WEB_TEXTS),
        ),
    ]
