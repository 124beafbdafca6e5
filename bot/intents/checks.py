"""Checks of what was read from the intent files: placeholders, templates, repeated examples, the book as a whole.

Each check adds plain-language problems (Serbian, naming the English key) to
the collector it is given, with the file and line of what is wrong, so one pass
reports every mistake at once.
"""

from __future__ import annotations

import re
import string
from pathlib import Path

from bot.checks import Problems
from bot.intents.model import CLARIFY, ENGINE_INTENTS, PLACEHOLDER, Example, IntentBook
from bot.intents.schema import LAYOUT_FIELDS, ONE_INTENT_FLAGS
from bot.script import fold
from bot.yamlsource import Position, display_path

_EXAMPLE_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def check_placeholders(text: str, position: Position, where: str, problems: Problems) -> None:
    """An example may use `{network}` and no other placeholder."""
    for name in _EXAMPLE_PLACEHOLDER.findall(text):
        if "{" + name + "}" != PLACEHOLDER:
            problems.error(position, f"{where}: непознато место за уметање `{{{name}}}`; постоји само `{PLACEHOLDER}`")


def check_template(template: str, allowed: set[str], position: Position, where: str, problems: Problems) -> None:
    """A template may use only the placeholders `allowed` (TEMPLATE_FIELDS), its braces paired."""
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}
    except ValueError as error:
        problems.error(position, f"{where}: витичасте заграде нису упарене ({error})")
        return
    for name in sorted(names - allowed):
        known = ", ".join(f"{{{n}}}" for n in sorted(allowed))
        problems.error(position, f"{where}: непознато место за уметање `{{{name}}}`; овде могу: {known}")


def check_examples(examples: tuple[Example, ...], problems: Problems) -> None:
    """The same question under two intents makes the bot guess; twice under one intent is only noise."""
    first: dict[str, Example] = {}
    for example in examples:
        key = fold(example.text.replace(PLACEHOLDER, " network "))
        earlier = first.setdefault(key, example)
        if earlier is example:
            continue
        where = f"{earlier.position.file}:{earlier.position.line}"
        if earlier.intent != example.intent:
            problems.error(
                example.position,
                f"намера `{example.intent}`: пример „{example.text}“ је исти као пример намере "
                f"`{earlier.intent}` ({where}); бот не би знао шта се пита — обришите један",
            )
        elif not example.line:  # lines with alternatives overlap by nature; a line written twice is noise
            problems.warning(
                example.position, f"намера `{example.intent}`: пример „{example.text}“ се понавља ({where})"
            )


def check_book(book: IntentBook, directory: Path, problems: Problems) -> None:
    here = Position(display_path(directory), 1, 1)
    check_examples(book.examples, problems)
    example_intents = set(book.intent_names)
    for intent in sorted(example_intents - set(book.responses)):
        first = next(e for e in book.examples if e.intent == intent)
        problems.error(first.position, f"намера `{intent}` има примере, али нема одговор у `responses`")
    for intent in ENGINE_INTENTS:
        if intent not in book.responses:
            problems.error(here, f"недостаје одговор `{intent}` у `responses`")
    for response in book.responses.values():
        if response.intent not in example_intents and response.intent not in ENGINE_INTENTS:
            problems.error(
                response.position,
                f"намера `{response.intent}` нема ниједан пример питања у `nlu`, па је бот никад не би препознао: "
                "вратите примере (или обришите и одговор)",
            )
        if response.needs_network and not response.question:
            problems.error(response.position, f"одговор `{response.intent}`: недостаје `question` (предлог питања)")
        if response.fact and not response.unknown:
            problems.error(
                response.position, f"одговор `{response.intent}`: недостаје `unknown` (шта рећи кад податак не знамо)"
            )
        facts = {other.fact for other in book.responses.values() if other.fact}
        if response.instead and (
            response.instead not in facts or not response.fact or response.instead == response.fact
        ):
            known = ", ".join(f"`{name}`" for name in sorted(facts - {response.fact}))
            problems.error(
                response.position,
                f"одговор `{response.intent}`, `instead`: `{response.instead}` није друга чињеница одговора са "
                f"`fact` (могу: {known})",
            )
        if not response.fact and not response.text:
            problems.error(response.position, f"одговор `{response.intent}`: недостаје `text`")
    for key in LAYOUT_FIELDS:
        if key not in book.layout:
            problems.error(here, f"недостаје `{key}` у `layout`")
    for response in book.responses.values():
        for focus in sorted(set(response.details) - set(book.language.focus)):
            known = ", ".join(f"`{name}`" for name in book.language.focus) or "ниједна"
            problems.error(
                response.position,
                f"одговор `{response.intent}`, `details`: `{focus}` није врста питања из `language`, "
                f"`focus` (постоје: {known})",
            )
    _check_offers(book, problems)
    _check_flags(book, here, problems)
    for example in book.examples:
        taught_for = book.responses.get(example.intent)
        if example.taught and taught_for is not None and taught_for.needs_network != bool(example.network):
            problems.error(
                example.position,
                f"`taught`: „{example.text}“ — намера `{example.intent}` "
                + (
                    "пита о једној мрежи: додајте `network` (id мреже)"
                    if taught_for.needs_network
                    else "се не односи на мрежу: обришите `network`"
                ),
            )
    for intent in book.card_buttons:
        if intent not in book.responses or not book.responses[intent].needs_network:
            problems.error(here, f"`telegram`, `card_buttons`: `{intent}` није намера која се односи на мрежу")


def _check_offers(book: IntentBook, problems: Problems) -> None:
    """`fallback`'s offers name an intent, with a network's id when it asks about one (`joined ecad`, `list`);
    `clarify`'s name intents that ask about a network, without the id: the unclear question names the network."""
    for response in book.responses.values():
        for intent, network in response.offers:
            needs = book.responses[intent].needs_network if intent in book.responses else None
            of_named = response.intent == CLARIFY  # offered of the network the unclear question names
            fits = bool(needs) and not network if of_named else needs is not None and needs == bool(network)
            if fits:
                continue
            problems.error(
                response.position,
                f"одговор `{response.intent}`, `offers`: „{intent} {network}“ није намера"
                + (
                    " која пита о мрежи, написана без `id` мреже"
                    if of_named
                    else " са `id` мреже"
                    if needs
                    else " (ова намера се пише без мреже)"
                    if needs is False
                    else ""
                ),
            )


def _check_flags(book: IntentBook, here: Position, problems: Problems) -> None:
    """Each of ONE_INTENT_FLAGS is on exactly one intent (the rules answer with it), one that asks about a network
    or not as the table says; small talk asks about none."""
    for flag in ONE_INTENT_FLAGS:
        having = [response for response in book.responses.values() if getattr(response, flag)]
        if not having:
            problems.error(here, f"ниједан одговор нема `{flag}: true`: тачно једна намера мора имати то својство")
        for extra in having[1:]:
            problems.error(
                extra.position,
                f"одговор `{extra.intent}`: `{flag}: true` већ има одговор `{having[0].intent}`; "
                "само једна намера сме имати то својство",
            )
    for response in book.responses.values():
        wanted = {flag: needs for flag, needs in ONE_INTENT_FLAGS.items() if getattr(response, flag)}
        if response.small_talk:
            wanted["small_talk"] = False
        for flag, needs_network in wanted.items():
            if response.needs_network != needs_network:
                problems.error(
                    response.position,
                    f"одговор `{response.intent}`: `{flag}: true` "
                    + ("тражи намеру која пита о мрежи" if needs_network else "тражи намеру без мреже"),
                )
