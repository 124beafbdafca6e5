"""Understanding, engine against peer, in one run: `python bench/understanding_bench.py`.

Trains the peer (bench/peer.py: char n-gram TF-IDF + logistic regression, the
standard classifier of issue 9) on the same `intents/` the engine reads, picks
its rejection threshold on the corpus, then grades both on the corpus, the
tuning batches and both held-out sets with the same grader (tests/support/labelled.py)
and prints them side by side:
fully correct, confidently wrong, out-of-scope rejected, and fully correct per intent.
Needs the dev dependencies (scikit-learn).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.peer import PeerAnswer, PeerClassifier  # noqa: E402
from bot.engine import Engine  # noqa: E402
from bot.loader import load_bundle  # noqa: E402
from tests.support.labelled import CORPUS, HELDOUT, HELDOUT_2, TUNING, Report, grade, grade_all  # noqa: E402

THRESHOLDS = [round(0.05 * i, 2) for i in range(1, 16)]
NOT_TUNED = "Not tuned on"  # what a tuning batch's header says while nothing is tuned on it (blind: aggregates only)


class PeerConversation:
    """The peer with one slot of memory: the last network named."""

    def __init__(self, peer: PeerClassifier):
        self.peer = peer
        self.network: str | None = None

    def ask(self, question: str) -> PeerAnswer:
        answer = self.peer.answer(question, self.network)
        self.network = answer.network or self.network
        return answer


def peer_report(peer: PeerClassifier, path: Path) -> Report:
    return grade(lambda: PeerConversation(peer), path)


def best_threshold(peer: PeerClassifier) -> float:
    """The rejection threshold with the most fully correct corpus answers (ties: fewer wrong)."""
    scored = []
    for threshold in THRESHOLDS:
        peer.threshold = threshold
        report = peer_report(peer, CORPUS)
        scored.append((report.accuracy, -report.confidently_wrong_rate, threshold))
    return max(scored)[2]


def per_intent(report: Report, by: str = "intent") -> dict[str, tuple[int, float]]:
    groups: dict[str, list[bool]] = {}
    for g in report.grades:
        groups.setdefault(getattr(g.case, by) or "(dialogue)", []).append(g.correct)
    return {intent: (len(v), sum(v) / len(v)) for intent, v in sorted(groups.items())}


def print_side_by_side(name: str, engine: Report, peer: Report) -> None:
    print(f"\n{name}: {len(engine.grades)} questions")
    print(f"  {'':<22} {'engine':>8} {'peer':>8} {'ahead by':>9}")
    rows = [
        ("fully correct", engine.accuracy, peer.accuracy, 1),
        ("confidently wrong", engine.confidently_wrong_rate, peer.confidently_wrong_rate, -1),
        ("out of scope rejected", engine.out_of_scope_rejected, peer.out_of_scope_rejected, 1),
        ("in scope refused/asked", engine.refused_in_scope, peer.refused_in_scope, -1),
    ]
    for label, mine, theirs, sign in rows:
        print(f"  {label:<22} {mine:>8.1%} {theirs:>8.1%} {sign * (mine - theirs) * 100:>+8.1f}pp")
    for by in ("intent", "kind") if any(g.case.kind for g in engine.grades) else ("intent",):
        print(f"  fully correct per {by}:")
        theirs_by_intent = per_intent(peer, by)
        for intent, (count, mine) in per_intent(engine, by).items():
            theirs = theirs_by_intent[intent][1]
            print(f"    {intent:<18} {count:>4} {mine:>8.1%} {theirs:>8.1%}")


def _history(path: Path) -> str:
    """What its header says was done with a tuning batch: tuned on after its arrival, or kept blind."""
    header = "".join(line for line in path.read_text(encoding="utf-8").splitlines(keepends=True) if line[:1] == "#")
    return "scored on arrival, not tuned on" if NOT_TUNED in header else "scored on arrival, then tuned on"


def main() -> None:
    bundle, _ = load_bundle()
    engine = Engine(bundle)
    peer = PeerClassifier(engine)
    peer.threshold = best_threshold(peer)
    print(f"peer: rejection threshold {peer.threshold} (best on the corpus)")
    sets = (
        ("corpus (tuned on)", CORPUS),
        *((f"tuning batch {path.stem} ({_history(path)})", path) for path in TUNING),
        ("held-out (never tuned on)", HELDOUT),
        ("held-out batch 2 (issue 19, never tuned on)", HELDOUT_2),
    )
    for name, path in sets:
        print_side_by_side(name, grade_all(engine, path), peer_report(peer, path))


if __name__ == "__main__":
    main()
