"""The peer the engine is measured against: a standard Rasa-style intent classifier.

A character n-gram TF-IDF (`char_wb` 1–4) united with a word uni/bigram TF-IDF,
and a logistic regression (C=20), all scikit-learn defaults otherwise, trained on
nothing but the example phrasings in `intents/`.  Network names are masked the
way the issue describes: `{network}` in the examples and every name our own
network finder sees in a question become one token.  It rejects a question
(fallback) when its top probability is below a threshold, the one that scores best
on the corpus, the same data the engine is tuned on; a network question without a
network takes the one from the conversation, as a slot would.  Its answers are
rendered by our own renderer, so both are graded by the same facts.

scikit-learn is a dev dependency: the bot never imports this module.
"""

from __future__ import annotations

from dataclasses import dataclass

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, make_pipeline

from bot.engine import Engine
from bot.intents import PLACEHOLDER
from bot.script import Script, detect_script, fold, in_script

MASK = "xmrezax"


@dataclass(frozen=True)
class PeerAnswer:
    """What the graders read of an answer: the same three fields as `bot.engine.Answer`."""

    intent: str
    network: str | None
    text: str


class PeerClassifier:
    def __init__(self, engine: Engine, threshold: float = 0.3):
        self.engine = engine
        self.threshold = threshold
        examples = engine.bundle.intents.examples
        texts = [f" {MASK} ".join(fold(part) for part in e.text.split(PLACEHOLDER)) for e in examples]
        features = FeatureUnion(
            [
                ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 4), sublinear_tf=True)),
                ("words", TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True)),
            ]
        )
        self.model = make_pipeline(features, LogisticRegression(C=20, max_iter=2000))
        self.model.fit(texts, [e.intent for e in examples])

    def masked(self, question: str) -> tuple[str, list[str]]:
        tokens = fold(question).split()
        mentions = self.engine.finder.find(tokens)
        for mention in reversed(mentions):
            tokens[mention.start : mention.end] = [MASK]
        return " ".join(tokens), list(dict.fromkeys(m.network_id for m in mentions))

    def ranked(self, question: str) -> list[tuple[str, float]]:
        text, _ = self.masked(question)
        probabilities = self.model.predict_proba([text])[0]
        return sorted(zip(self.model.classes_, probabilities, strict=True), key=lambda pair: -pair[1])

    def answer(self, question: str, context: str | None = None) -> PeerAnswer:
        _, networks = self.masked(question)
        ranked = self.ranked(question)
        intent, probability = ranked[0]
        response = self.engine.responses[intent]
        network = networks[0] if networks else context
        if probability < self.threshold or not fold(question):
            return self._plain("fallback", question)
        if response.needs_network:
            if network is None:
                return self._plain("fallback", question)
            section = self.engine.renderer.about_network(intent, self.engine.networks[network])
            return PeerAnswer(intent, network, in_script(section.text, _script(question)))
        return self._plain(intent, question)

    def _plain(self, intent: str, question: str) -> PeerAnswer:
        return PeerAnswer(intent, None, in_script(self.engine.renderer.plain(intent).text, _script(question)))


def _script(question: str) -> Script:
    return detect_script(question)
