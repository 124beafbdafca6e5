"""Load `knowledge/` and `intents/` together into one immutable, checked bundle.

The bundle is what the engine answers from.  Loading either returns a bundle
and the warnings, or raises `ProblemsFound` with every error, so a running bot
can keep its last good bundle when staff save a broken file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from bot.checks import Problems
from bot.intents import IntentBook, Language, read_intents
from bot.knowledge import Knowledge, Network, read_knowledge
from bot.lexicon import Lexicon
from bot.script import fold, to_cyrillic
from bot.yamlsource import Position, Problem, ProblemsFound

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_KNOWLEDGE = PROJECT_ROOT / "knowledge" / "networks.yaml"
DEFAULT_INTENTS = PROJECT_ROOT / "intents"


@dataclass(frozen=True)
class Bundle:
    """The checked contents of the files an engine is built from: knowledge, intents and their lexicon."""

    knowledge: Knowledge
    intents: IntentBook
    lexicon: Lexicon


def check_files(
    knowledge_path: Path = DEFAULT_KNOWLEDGE, intents_dir: Path = DEFAULT_INTENTS
) -> tuple[Bundle, list[Problem]]:
    """Read and cross-check both sources; return the bundle (possibly partial) and all problems."""
    intents, problems = read_intents(intents_dir)
    knowledge, knowledge_problems = read_knowledge(knowledge_path, intents.fact_keys)
    problems.extend(knowledge_problems)
    _check_names(knowledge, problems)
    _check_scripts(knowledge, intents, problems)
    if not any(problem.is_error for problem in knowledge_problems):  # else a network it names may be the broken one
        _check_offers(knowledge, intents, problems)
    lexicon = build_lexicon(intents.language)
    return Bundle(knowledge, intents, lexicon), sorted(problems, key=lambda p: p.position)


def build_lexicon(language: Language) -> Lexicon:
    """Staff write the lists with or without diacritics, in either script; matching sees them folded."""

    def folded(words: tuple[str, ...]) -> list[str]:
        return [fold(word) for word in words if fold(word)]

    return Lexicon.build(
        stopwords=folded(language.stopwords),
        suffixes=folded(language.suffixes),
        followup_markers=folded(language.followup_markers),
        courtesy=folded(language.courtesy),
        question_words=folded(language.question_words),
        focus={name: folded(words) for name, words in language.focus.items()},
        references=folded(language.references),
        identify_asking=folded(language.identify_asking),
        identify_kinds=folded(language.identify_kinds),
        months=folded(language.months),
        agent_markers=folded(language.agent_markers),
        city=folded(language.city),
        membership_words=folded(language.membership_words),
        indefinite=folded(language.indefinite),
        network_asking=folded(language.network_asking),
        count_asking=folded(language.count_asking),
        when_asking=folded(language.when_asking),
        list_asking=folded(language.list_asking),
        orders=folded(language.orders),
        renaming=folded(language.renaming),
        relations=folded(language.relations),
        negations=folded(language.negations),
        refusals=folded(language.refusals),
        contrary=folded(language.contrary),
        hypotheticals=folded(language.hypotheticals),
        verb_endings=folded(language.verb_endings),
        superlatives={name: folded(words) for name, words in language.superlatives.items()},
        centuries={year: folded(words) for year, words in language.centuries.items()},
        comparatives={name: folded(words) for name, words in language.comparatives.items()},
        scopes={name: folded(words) for name, words in language.scopes.items()},
        negated_scopes={name: folded(words) for name, words in language.negated_scopes.items()},
        roles={name: folded(words) for name, words in language.roles.items()},
        numbers={digits: folded(words) for digits, words in language.numbers.items()},
        number_parts={digits: folded(words) for digits, words in language.number_parts.items()},
        spellings={" ".join(folded((word,))): folded(others) for word, others in language.spellings.items()},
    )


def load_bundle(
    knowledge_path: Path = DEFAULT_KNOWLEDGE, intents_dir: Path = DEFAULT_INTENTS
) -> tuple[Bundle, list[Problem]]:
    """Like `check_files`, but raise `ProblemsFound` when there is any error; return the warnings."""
    bundle, problems = check_files(knowledge_path, intents_dir)
    errors = [p for p in problems if p.is_error]
    if errors:
        raise ProblemsFound(errors)
    return bundle, [p for p in problems if not p.is_error]


def _check_offers(knowledge: Knowledge, intents: IntentBook, problems: Problems) -> None:
    """The networks that `offers` and `taught` name are in the knowledge file."""
    for example in intents.examples:
        if example.network and example.network not in knowledge.by_id:
            problems.error(
                example.position,
                f"`taught`: „{example.text}“ — мреже `{example.network}` нема у knowledge/networks.yaml",
            )
    for response in intents.responses.values():
        for _, network in response.offers:
            if network and network not in knowledge.by_id:
                problems.error(
                    response.position,
                    f"одговор `{response.intent}`, `offers`: мреже `{network}` нема у knowledge/networks.yaml",
                )


def _check_names(knowledge: Knowledge, problems: Problems) -> None:
    """A name or alias may point at one network only, else questions become ambiguous.

    Networks' own names (name, original and English name, acronym) are claimed first, so when
    an alias or former name of one network repeats another network's name, that is what gets reported.
    """
    owner: dict[str, str] = {}
    for network in knowledge.networks:
        for name in network.own_names():
            _claim(network, name, network.where_named(name), owner, problems)
    for network in knowledge.networks:
        seen = {fold(name) for name in network.own_names()}
        for alias, position in network.other_names():
            if fold(alias) in seen:
                problems.warning(position, f"мрежа `{network.id}`: алијас „{alias}“ се понавља")
                continue
            seen.add(fold(alias))
            _claim(network, alias, position, owner, problems)


def _claim(network: Network, name: str, where: Position, owner: dict[str, str], problems: Problems) -> None:
    key = fold(name)
    if not key:
        problems.error(where, f"мрежа `{network.id}`: име или алијас „{name}“ нема ниједно слово")
        return
    other = owner.setdefault(key, network.id)
    if other != network.id:
        problems.error(where, f"мрежа `{network.id}`: име или алијас „{name}“ већ означава мрежу `{other}`")


def _check_scripts(knowledge: Knowledge, intents: IntentBook, problems: Problems) -> None:
    """Serbian names, aliases and facts are written in Cyrillic (Latin is derived when answering); one written
    in Latin would show in Latin to Cyrillic readers. Foreign names (Energy Cities) stay Latin: a text counts
    as Serbian when it has Serbian letters (č, ć, š, ž, đ) or mostly words that the Cyrillic texts use."""
    vocabulary = _cyrillic_words(knowledge, intents)
    for network in knowledge.networks:
        texts = [("name", network.name, network.where_named(network.name))]
        aliases = zip(network.aliases, network.alias_positions, strict=True)
        texts += [("aliases", alias, where) for alias, where in aliases]
        texts += [
            (key, str(network.value(key)), where)
            for key, where in network.value_positions.items()
            if key in ("seat_city", "seat_country")
        ]
        texts += [(f"facts, `{key}`", fact.text, fact.position) for key, fact in network.facts.items()]
        for field, text, where in texts:
            if _serbian_in_latin(text, vocabulary):
                suggestion = to_cyrillic(text if len(text) <= 80 else text[:80].rsplit(" ", 1)[0] + " …")
                problems.warning(
                    where,
                    f"мрежа `{network.id}`, `{field}`: текст је латиницом, а пише се ћирилицом (латиницу бот "
                    f"прави сам): „{suggestion}“ (проверите предлог)",
                )


def _cyrillic_words(knowledge: Knowledge, intents: IntentBook) -> frozenset[str]:
    texts = [fact.text for network in knowledge.networks for fact in network.facts.values()]
    texts += [network.name for network in knowledge.networks]
    texts += [r.text or "" for r in intents.responses.values()]
    return frozenset(fold(word) for text in texts for word in _WORD.findall(text) if _is_cyrillic(word))


def _serbian_in_latin(text: str, vocabulary: frozenset[str]) -> bool:
    words = [word for word in _WORD.findall(text) if len(word) >= 3]
    if not words or any(_is_cyrillic(word) for word in words):
        return False
    if any(char in "čćšžđČĆŠŽĐ" for char in text):
        return True
    return sum(fold(word) in vocabulary for word in words) * 2 >= len(words)


_WORD = re.compile(r"[^\W\d_]+")


def _is_cyrillic(word: str) -> bool:
    return any("\u0400" <= char <= "\u04ff" for char in word)
