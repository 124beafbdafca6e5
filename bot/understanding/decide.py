"""Stage 5: what one question asks, decided by rules tried in a listed order.

Each rule looks at the `Evidence` of one clause (the earlier stages' output)
and either decides a `Reading` or passes.  The first that decides wins; its
name goes into the reading (`rule`), so a log line or a test can say why.

    names_only            `NALED`, `Niš i SKGO`, `А ECAD?`: the card, or the last question again
    asked_again           `…, а када НАЛЕД?`: the last question again, of the network named
    detail_of_last        `а где?` after `када је основан ECAD`: the same question, asking where
    unknown_network       `да ли је Ниш члан Eurocities`: not in our records (never for a near name)
    hypothetical          `шта би Ниш изгубио кад би иступио из ЕКАД-а`: what would be (`Clause.hypothetical`)
    ordered               `поређајте мреже по години приступања`: a list in order of that year
    compared              `која је мрежа најстарија`, `старији ECAD или AVEC`: computed from the values
    than_named            `које мреже су основане пре НАЛЕД-а`: those below or above the named one's value
    by_value              `у које мреже је Ниш ушао после 2005`, `више од 200 чланова`: those below or above it
    by_decade             `које су мреже основане деведесетих`: those whose year falls in that decade
    by_role               `ко председава Лигом…`: the fact that says who holds that role
    role_not_kept         `ко је председник НАЛЕД-а`: a role no fact names: we do not keep it
    name_of               `како се СКГО зове на енглеском`: the network's names
    renamed               `која мрежа је променила име`: those with a former name (or the one a fact names)
    list_of_networks      `колико мрежа има Ниш`: all of them, counted
    by_scope              `које су мреже националне`: the networks of that scope
    scope_of_named        `да ли је ECAD међународна мрежа`: the networks by scope, the named one among them
    identified_by_facts   `чему је Ниш приступио 2007`: the fact names the network (several: a list)
    by_year_none_has      `која мрежа је основана 1993`: none; every network with its year
    not_a_member          `Зашто је Ниш иступио из ЕКАД-а?`: the membership answer says what is so
    another_members       `да ли је Београд члан ECAD-а`: another city's membership is not kept
    is_member             `Ниш је у Energy Cities?`: joining without a time asked is whether Niš is a member
    answer                the classifier is sure, and the question names its network (or needs none)
    of_listed             `а кад су основане?` after a list: that fact of each listed network
    follow_up             `а колико има чланова?`: a network question whose network is the last one
    fact_of_network       `ко председава Лигом…`: a word the examples lack, in one of its facts
    by_focus              `број телефона НАЛЕД-а`: of two likely intents, the one whose answer has that detail
    out_of_scope          the classifier says out of scope
    ask_back              a network is named but the question is unclear: offer its likeliest questions
    which_network         `када је основана?` with nothing before it: offer networks
    (otherwise)           fallback: say what the bot can answer

A confidently wrong answer is worse than a question back or a fallback, so
every rule that answers demands its evidence; the rest of the list is the
safety net.  The rules live in `rules/`, one module per kind (names, the
conversation, values, facts, lists, the classifier's own); this module only
puts them in order.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bot.understanding.rules.classifier import ClassifierRules
from bot.understanding.rules.conversation import ConversationRules
from bot.understanding.rules.facts import FactRules
from bot.understanding.rules.lists import ListRules
from bot.understanding.rules.names import NameRules
from bot.understanding.rules.values import ValueRules
from bot.understanding.types import Evidence, Reading

Rule = Callable[["Decider", Evidence], Reading | None]


class Decider(NameRules, ConversationRules, ValueRules, FactRules, ListRules, ClassifierRules):
    """The rules of every kind, asked in RULES' order about one clause's evidence."""

    def __call__(self, evidence: Evidence) -> Reading:
        for rule in RULES:
            reading = rule(self, evidence)
            if reading is not None:
                return reading
        return self._fallback(evidence, "nothing_fits")


RULES: Sequence[Rule] = (
    Decider.names_only,
    Decider.asked_again,
    Decider.detail_of_last,
    Decider.unknown_network,
    Decider.hypothetical,
    Decider.ordered,
    Decider.compared,
    Decider.than_named,
    Decider.by_value,
    Decider.by_decade,
    Decider.by_role,
    Decider.role_not_kept,
    Decider.name_of,
    Decider.renamed,
    Decider.members_by_card,
    Decider.list_of_networks,
    Decider.by_scope,
    Decider.scope_of_named,
    Decider.identified_by_facts,
    Decider.by_year_none_has,
    Decider.not_a_member,
    Decider.another_members,
    Decider.is_member,
    Decider.answer,
    Decider.of_listed,
    Decider.follow_up,
    Decider.fact_of_network,
    Decider.by_focus,
    Decider.out_of_scope,
    Decider.ask_back,
    Decider.which_network,
)
