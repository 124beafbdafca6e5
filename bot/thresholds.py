"""Every threshold the understanding (bot/understanding/) and its lexicon decide with, and why it is where it is.

Below the understanding and the lexicon both, so that the word lists (bot/lexicon.py, built by
the loader) take their stem lengths from here without importing the pipeline.

Scores are the classifier's (`classify`): about 1 for a question like the
examples of one intent, about 0 for none; a plain question's best intent
usually scores 0.4–0.9.  The values were chosen by a grid search on the
labelled corpus (`tests/corpus/`), maximising fully correct minus three times
confidently wrong, never on the held-out set; where results were flat, the
safer value was kept.  The stages read them from a `Config`, so a test can move
one and see what changes.  The values from `max_clauses` on (windows, counts,
how long a stem, a typo, a name is) were set by hand, from the questions, words
and names in the files, not by the search; they are here so no module keeps a
number of its own, and the last ones shape the lexicon and the name matching
rather than a decision.  Two settings of the classifier itself (the
n-gram lengths in `features`, the ridge λ in `classify`) and BM25's k1 and b
in `search` define how a model or an index is built, not where a decision
falls, and stay with the code that builds them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Config:
    """Every threshold of the understanding, each with why it has its value."""

    # Answer outright when the best intent scores at least this…
    accept: float = 0.4
    # …and beats the best other intent by this much; closer than that is a guess: ask back.
    margin: float = 0.05
    # A question with words neither the examples nor the facts know must score this much to be
    # answered: `Ko je predsednik NALED-a?` looks like `Ko su NALED?` but asks what we do not keep.
    accept_with_unknown_words: float = 0.5
    # From here up to `accept`, a question naming a network is asked back with suggestions.
    ask_back: float = 0.2
    # A follow-up that points at the last network with a word of its own (`а где је она`, `а где су они`) is
    # answered from this score on: the word says it asks of that network, as a name would.
    accept_referred: float = 0.3
    # Out of scope (the `fallback` intent) wins from this score on.
    out_of_scope: float = 0.3
    # A network question naming none: ask which network only when it is this clear (`Када је основана?`).
    ask_which_network: float = 0.6
    # Facts found by words (BM25): a fact identifies its network from this score on (from the lower one when
    # the words it holds include a number or a name it writes, `2007`, `Безансону`)…
    identify: float = 3.0
    identify_value: float = 2.0
    # …when it scores this many times the best such fact of any other network…
    identify_lead: float = 1.5
    # Such a fact holds at least this many of the question's words (one shared word, `има`, proves nothing)…
    identify_words: int = 2
    # …and at least this share of them (`најпознатија организација за заштиту културне баштине` is not AVEC);
    # a `who` question that does not ask for a network needs more (`ко је основао Нишки културни центар`).
    identify_share: float = 0.5
    identify_share_who: float = 0.75
    # A named network's fact that holds a word the examples never used answers from this score on.
    fact_of_network: float = 2.0
    # Networks answered about in one message.
    max_networks: int = 3
    # A question that several networks' facts fit equally is answered with a list of them, up to this many;
    # more fit a word too common to tell anything (`град`).
    max_listed: int = 3
    # What of a very long message is read: its first characters; of those its first words; and of those, the
    # words up to the one that makes this many words nobody knows (neither the examples nor the facts).  In all
    # the labelled sets the longest question has 23 words and the most unknown words in one is 5; these bound
    # the work any message can cause to ten times a plain question's (bench/worst_case.py), so a message of
    # random words holds up nobody else's answer.
    max_chars: int = 1000
    max_words: int = 32
    max_unknown_words: int = 8
    # A longer run of letters is no word (the longest in the knowledge file has 20): only its start is read.
    max_word_chars: int = 30
    # The questions of one message that are read; the rest is not.
    max_clauses: int = 6
    # `…ал не знам од кад она постоји`: a conjunction opens a new question where its question word follows after
    # at most this many stop words.
    max_small_words: int = 3
    # Words before a question word that may be a preamble rather than part of the question (`пишем семинарски
    # … где је седиште`): the question is read again from its question word when they are at least this many.
    min_preamble: int = 2
    # `koja je to evropska mreza`: the kind of thing asked for stands this many words from the asking word, not
    # counting stop words and a scope's words between (`које су то наше домаће асоцијације`).
    identify_window: int = 3
    # Words nobody wrote that a question about Niš's memberships may carry and still ask for the list…
    max_words_beside_list: int = 3
    # …unless one stands this close to the kind of thing asked for, and describes it (`организације за младе`).
    describe_window: int = 2
    # Words nobody wrote that a question for a network's name in a language, or its former name, may hold
    # (`naled english verzija imena`).
    max_words_beside_name: int = 2
    # Questions offered when the bot asks back.
    max_offers: int = 3
    # A message with this many Cyrillic letters is written in Cyrillic: a Latin word in it looks like a name.
    cyrillic_letters: int = 3

    # Words and names --------------------------------------------------------------------------------------
    # A case ending is cut off only when it leaves this many letters (`ligi` → `lig`, never `ni`).  This and the
    # next shape the lexicon, which is built with the bundle (`Lexicon.build(config=…)`), not by the pipeline.
    min_stem: int = 3
    # A word beginning with a kind's stem of this many letters is that kind (`organizacijama`); `lig` (лига)
    # is too short to stand for the words it begins.
    min_kind_prefix: int = 4
    # A month's word is its name plus at most this many letters of a case ending (`septemb` + `ra`, `maj` + `u`).
    month_ending: int = 3
    # A scope adjective written in one form is found in every case when its stem has this many letters
    # (`strana` → `stranih`); a shorter one would give other words' forms.
    min_adjective_stem: int = 5
    # A word nobody knows, spelled as no Serbian word is (`w`, `tt`, `-ies`), is another body's name even in lower
    # case when it has this many letters; shorter ones are loanwords (`wifi`, `taxi`), not networks' names.
    foreign_letters: int = 5
    # An acronym's case ending after a hyphen has at most this many letters (`НАЛАС-ом`): the name is said without it.
    acronym_ending: int = 3
    # A word of this many letters may carry one typo, and one more for every `typo_step` letters beyond.
    typo_min_length: int = 5
    typo_step: int = 5
    # A typed word of this length is compared with the examples' whole words too (`sjedite` ~ `sjediste`).
    typo_whole_word: int = 6
    # A name word of at most this many letters (an acronym) tolerates only two neighbouring letters swapped…
    acronym_length: int = 5
    # …and only when it has this many (`ec` swapped is `ce`: too short to tell); such a name scores `swapped`.
    swap_min_length: int = 4
    swapped: float = 0.9
    # A half-remembered name: this share of its words, within its own length plus `partial_reach` words,
    # scores at most `partial_score`.
    partial_share: float = 0.6
    partial_reach: int = 2
    partial_score: float = 0.8
    # A kind's word that begins one network's names only (`Лига`), beside another network named with at most
    # `paired_reach` stop or question words between (`ECAD или Лига`, `ECAD pa liga`), names that
    # network; it scores as a half-remembered name.
    paired_reach: int = 2
    paired_name_score: float = 0.8
    # A name we do not know runs over up to this many known words between unknown ones (`Унија градова Дунава`).
    name_gap: int = 2
    # A question word no fact writes meets a fact's name by its sound (`Kyotu`, `Besançonu`) from this many
    # letters on (set by hand: shorter words sound like too many others).
    min_sounded: int = 4
    # A name of this many letters or fewer meets a question's word only as written: `Тур` (Tours) is no `туре`.
    short_name: int = 3
    # A question word no fact writes meets a fact's longer word that begins with its stem of this many letters or
    # more (`реформу` → `реформисана`, `регион` → `регионалну`); set by hand: shorter stems begin too many words.
    min_derived: int = 6

    def max_edits(self, length: int) -> int:
        """How many typing mistakes a word of this length may carry and still be recognised."""
        return 0 if length < self.typo_min_length else 1 + (length - self.typo_min_length) // self.typo_step


DEFAULT = Config()
