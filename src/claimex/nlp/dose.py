"""Numeric doses in running text: ``find_doses(text) -> list[Dose]``.

A dose is a number or a range followed by a *dose unit* (mass, volume,
household measure or a count such as capsules), optionally followed by a
per-body-weight suffix and a period::

    "1 to 5 grams"                            -> 1, 5, "g", None
    "12 to 15 grams within a 24-hour period"  -> 12, 15, "g", "24 h"
    "up to 10 g per day"                      -> None, 10, "g", "day"
    "500 mg twice daily"                      -> 500, 500, "mg", "2x/day"
    "0.5 mg/kg"                               -> 0.5, 0.5, "mg/kg", None

Decisions (documented here and relied on by the tests):

* Units and simple periods are data: ``pipelines/patterns/dose.jsonl``
  (``kind`` = ``unit`` | ``per_weight`` | ``period``, ``canonical``,
  ``terms``).  Time words (hours, weeks, months) are never dose units, so
  "3-6 months" is not a dose.
* Open ranges: "up to / no more than / less than / at most / under / below /
  a maximum of X" give ``dose_min=None, dose_max=X``; "at least / more than /
  over / above / a minimum of X" give ``dose_min=X, dose_max=None``.  The
  qualifier words ("up to", "between", "from", ...) are part of the span;
  approximators ("about", "around") are not.  Under a negation a lower-bound word states
  a limit: "never take more than 10 g", "should not use more than 4 g" give
  ``dose_min=None, dose_max=X`` ("≤10 g"); "exceed" is an upper-bound word ("do not
  exceed 8 g a day" -> "≤8 g/day").
* Range dashes include the Unicode minus and figure dash ("2 − 4 g"); digits and units
  may be full-width ("２ g", "５ｇ", "１０ｍｇ"): full-width ASCII forms are matched as
  their ASCII letters, one character for one, so offsets stay those of the text.
* A percentage is a dose only as the strength of a topical product, when one of
  :data:`TOPICAL_FORMS` follows within two words ("a 0.025 percent cream", "0.075%
  capsaicin gel" -> unit ``%``); "80% reported relief" is none.
* A number word with a count unit and nothing else ("one pill of drug A", "two cups of
  coffee") is a count, not a dose; digits ("2 pills") or a period ("two capsules twice
  daily") make it one.
* Periods: "per day / a day / daily / /day" -> ``"day"`` (likewise
  ``"week"``, ``"month"``, ``"night"``, ``"dose"``); an hour window such as
  "within a 24-hour period", "per 24 hours", "every 6 hours" -> ``"24 h"`` /
  ``"6 h"``, "every 4-6 hours" -> ``"4–6 h"``.  A frequency keeps its count:
  "twice daily" / "2 times a day" / "2x/day" -> ``"2x/day"``, "three times a
  week" -> ``"3x/week"``; "once daily" is plain ``"day"``.
* Alternatives are two doses: "450 and 900 mg", "250 or 600 mg" give 450 mg and 900 mg,
  the first span being the number alone and taking the shared unit and period ("10 g and
  4 g" are two doses with their own units); "between 1 and 5 grams" / "from 1 to 5 g" is a
  range, and so is "2 or 3 cups" (two neighbouring whole numbers up to 10 joined by "or").
* ``Dose.frequency``: intakes per period when the text counts them ("2 g three times a
  day" -> 3.0, "twice daily" -> 2.0); the period keeps its ``3x/day`` form.
* ``Dose.role``: ``"limit"`` for a maximum the text sets: a negated lower bound ("never
  take more than 10 g"), a limit word (:data:`LIMIT_WORDS`: "no more than", "do not exceed",
  "a maximum of", "at most") or a negated upper bound; "up to 5 g" is an open range (None).
* A mixed-unit range of the same dimension is converted to the second unit
  ("500 mg to 1 g" -> 0.5, 1, "g"); otherwise the two amounts are separate doses.
* :attr:`Dose.canonical` renders a dose as a short normalised string:
  ``"1–5 g"``, ``"12–15 g/24 h"``, ``"≤10 g/day"``, ``"≥5 g"``,
  ``"500 mg 2x/day"``.

Results are sorted by ``start`` and never overlap.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..errors import ClaimexError
from ..rulebase import RuleFile, rule_error

DOSE_KINDS = ("unit", "per_weight", "period")

NUMBER_WORDS: dict[str, float] = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15,
    "twenty": 20, "thirty": 30, "fifty": 50, "hundred": 100,
}
VULGAR_FRACTIONS: dict[str, float] = {"½": 0.5, "¼": 0.25, "¾": 0.75, "⅓": 1 / 3, "⅔": 2 / 3}
FREQUENCY_WORDS: dict[str, int] = {"once": 1, "twice": 2, "thrice": 3}
UPPER_BOUND = ("up to", "no more than", "not more than", "less than", "fewer than", "at most", "exceed", "exceeding",
               "a maximum of", "maximum of", "max of", "under", "below")
LOWER_BOUND = ("at least", "more than", "over", "above", "a minimum of", "minimum of")
RANGE_WORDS = ("between", "from")
# Units of the same dimension, in a common base (mass in g, volume in ml).
CONVERSIONS: dict[str, tuple[str, float]] = {
    "µg": ("mass", 1e-6), "mg": ("mass", 1e-3), "g": ("mass", 1.0), "kg": ("mass", 1e3),
    "ml": ("volume", 1.0), "l": ("volume", 1e3),
}
PERIOD_SUFFIXES = {"day": "day", "daily": "day", "week": "week", "weekly": "week",
                   "month": "month", "monthly": "month", "night": "night", "nightly": "night"}


@dataclass(frozen=True)
class Dose:
    """One dose mention; ``start``/``end`` are character offsets into the text."""

    start: int
    end: int
    dose_min: float | None
    dose_max: float | None
    unit: str
    period: str | None = None
    # intakes per period when the text counts them ("twice daily", "3 times a week": 2.0, 3.0)
    frequency: float | None = None
    # "limit": a maximum the text sets ("never take more than 10 g", "do not exceed 8 g a day",
    # "no more than 4 g"); None for a dose taken or an open range ("up to 5 g")
    role: str | None = None

    @property
    def canonical(self) -> str:
        return format_dose(self.dose_min, self.dose_max, self.unit, self.period)


def _num(x: float) -> str:
    text = f"{x:.6g}"
    return text


def format_dose(dose_min: float | None, dose_max: float | None, unit: str, period: str | None) -> str:
    """Render a dose as a normalised string, e.g. ``"12–15 g/24 h"``."""
    if dose_min is None and dose_max is None:
        amount = "?"
    elif dose_min is None:
        amount = f"≤{_num(dose_max)}"  # type: ignore[arg-type]
    elif dose_max is None:
        amount = f"≥{_num(dose_min)}"
    elif dose_min == dose_max:
        amount = _num(dose_min)
    else:
        amount = f"{_num(dose_min)}–{_num(dose_max)}"
    text = f"{amount} {unit}"
    if period:
        text += f" {period}" if "x/" in period else f"/{period}"
    return text


@dataclass(frozen=True)
class DosePatterns(RuleFile):
    """Unit, per-weight and period vocabularies (term -> canonical) and the compiled regex
    (read through :class:`claimex.rulebase.RuleFile`)."""

    units: dict[str, str]
    per_weight: dict[str, str]
    periods: dict[str, str]
    source: str = "<dict>"
    entries: tuple[dict, ...] = ()

    DEFAULT_FILE = ("patterns", "dose.jsonl")
    LINE_ERROR = "E045"
    READ_ERROR = "E044"

    @classmethod
    def from_lines(cls, rows: list[tuple[int, Any]], *, source: str) -> DosePatterns:
        tables: dict[str, dict[str, str]] = {kind: {} for kind in DOSE_KINDS}
        for line, entry in rows:
            _check_entry(entry, source, line)
            table = tables[entry["kind"]]
            for term in entry["terms"]:
                key = term.lower()
                if key in table and table[key] != entry["canonical"]:
                    raise rule_error("E045", source, line, f"term {term!r} already maps to {table[key]!r}")
                table[key] = entry["canonical"]
        if not tables["unit"]:
            raise rule_error("E045", source, 0, "no 'unit' entries")
        return cls(units=tables["unit"], per_weight=tables["per_weight"],
                   periods=tables["period"], source=source,
                   entries=tuple(json.loads(json.dumps(e)) for _, e in rows))

    def to_records(self) -> list[dict]:
        return list(self.entries)

    @functools.cached_property
    def regex(self) -> re.Pattern[str]:
        return _compile(self)

    @functools.cached_property
    def starts(self) -> re.Pattern[str]:
        """Where a match of :attr:`regex` may begin (a superset): a digit, a decimal point, a
        vulgar fraction, or the first word of a number word or a bound/range qualifier."""
        return _compile_starts()


def _check_entry(entry: object, source: str, line: int) -> None:
    def fail(reason: str) -> ClaimexError:
        return rule_error("E045", source, line, reason)

    if not isinstance(entry, dict):
        raise fail("not a JSON object")
    unknown = sorted(set(entry) - {"kind", "canonical", "terms", "note"})
    if unknown:
        raise fail(f"unknown field {unknown[0]!r}")
    if entry.get("kind") not in DOSE_KINDS:
        raise fail(f"'kind' must be one of {', '.join(DOSE_KINDS)}")
    if not isinstance(entry.get("canonical"), str) or not entry["canonical"].strip():
        raise fail("'canonical' must be a non-empty string")
    terms = entry.get("terms")
    if not isinstance(terms, list) or not terms or not all(isinstance(t, str) and t.strip() for t in terms):
        raise fail("'terms' must be a non-empty list of non-empty strings")


def _alternation(terms: list[str]) -> str:
    """Regex alternation, longest first; spaces match any whitespace, '/' may have spaces around it."""
    parts = []
    for term in sorted(set(terms), key=lambda t: (-len(t), t)):
        pieces = []
        for ch in term:
            if ch == " ":
                pieces.append(r"\s+")
            elif ch == "/":
                pieces.append(r"\s*/\s*")
            else:
                pieces.append(re.escape(ch))
        parts.append("".join(pieces))
    return "|".join(parts)


_DIGITS = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+"


def _number_pattern() -> str:
    words = "|".join(sorted(NUMBER_WORDS, key=lambda w: (-len(w), w)))
    fractions = "".join(VULGAR_FRACTIONS)
    return (rf"(?:\d+\s*/\s*\d+(?!\s*/)|\d+\s*[{fractions}]|[{fractions}]|{_DIGITS}"
            rf"|\b(?:{words})\b)")


def _compile(patterns: DosePatterns) -> re.Pattern[str]:
    num = _number_pattern()
    units = _alternation(list(patterns.units))
    bound_words = sorted(UPPER_BOUND + LOWER_BOUND + RANGE_WORDS, key=lambda w: (-len(w), w))
    qualifier = "|".join(w.replace(" ", r"\s+") for w in bound_words)
    per_weight = _alternation(list(patterns.per_weight)) if patterns.per_weight else r"(?!x)x"
    periods = _alternation(list(patterns.periods)) if patterns.periods else r"(?!x)x"
    freq_words = "|".join(FREQUENCY_WORDS)
    period_suffix = "|".join(sorted(PERIOD_SUFFIXES, key=lambda w: (-len(w), w)))
    hours = r"(?:hours?|hrs?|h)"
    pattern = rf"""
        (?<![\w.,/])
        (?:(?P<qual>{qualifier})\s+)?
        (?P<lo>{num})
        (?:\s*(?P<lo_unit>{units})(?![\w]))?
        (?:\s*(?P<sep>-|–|—|\u2212|\u2012|to|and|or)\s*(?P<hi>{num}))?
        [\s-]*(?P<unit>{units})(?![\w])
        (?P<perw>\s*(?:{per_weight})(?![\w]))?
        (?P<period>
            \s*,?\s*(?:
                (?:(?P<fword>{freq_words})|(?P<fnum>{num})[\s-]*(?:times|x))
                \s*(?:(?:a|per|each|every|/)\s*)?(?P<fper>{period_suffix})
              | (?:per|every|within|over|in|each)\s+(?:a\s+|an\s+|one\s+)?
                (?P<h1>\d+(?:\.\d+)?)(?:\s*(?:-|–|to)\s*(?P<h2>\d+(?:\.\d+)?))?[\s-]*{hours}(?:\s+period)?
              | (?P<simple>{periods})
            )(?![\w])
        )?
    """
    return re.compile(pattern, re.IGNORECASE | re.VERBOSE)


def _compile_starts() -> re.Pattern[str]:
    words = set(NUMBER_WORDS) | {q.split()[0] for q in UPPER_BOUND + LOWER_BOUND + RANGE_WORDS}
    alternation = "|".join(sorted(words, key=lambda w: (-len(w), w)))
    fractions = "".join(VULGAR_FRACTIONS)
    return re.compile(rf"(?<![\w.,/])(?:[\d.{fractions}]|\b(?:{alternation})\b)", re.IGNORECASE)


def _dose_matches(text: str, patterns: DosePatterns) -> Iterator[re.Match[str]]:
    """``patterns.regex.finditer(text)``, tried only where a match may begin (same matches:
    a match attempt at a position is ``regex.match(text, pos)``, and a found match resumes the
    search at its end)."""
    regex = patterns.regex
    resume = 0
    for candidate in patterns.starts.finditer(text):
        pos = candidate.start()
        if pos < resume:
            continue
        match = regex.match(text, pos)
        if match is not None and match.end() > pos:
            resume = match.end()
            yield match


def parse_number(text: str) -> float:
    """Value of a number as matched by the dose regex ("1,000", "1.5", "½", "1/2", "five")."""
    text = text.strip().lower()
    if text in NUMBER_WORDS:
        return float(NUMBER_WORDS[text])
    if text in VULGAR_FRACTIONS:
        return VULGAR_FRACTIONS[text]
    if text and text[-1] in VULGAR_FRACTIONS:
        return float(text[:-1].strip()) + VULGAR_FRACTIONS[text[-1]]
    if "/" in text:
        num, den = (part.strip() for part in text.split("/", 1))
        return float(num) / float(den) if float(den) else float(num)
    return float(text.replace(",", ""))


@functools.lru_cache(maxsize=1)
def load_default_dose_patterns() -> DosePatterns:
    """The packaged ``claimex.pipelines/patterns/dose.jsonl`` (read once)."""
    return DosePatterns.default()


def _period(match: re.Match[str], patterns: DosePatterns) -> str | None:
    if match.group("period") is None:
        return None
    if match.group("fper"):
        base = PERIOD_SUFFIXES[match.group("fper").lower()]
        count = FREQUENCY_WORDS.get((match.group("fword") or "").lower())
        if count is None:
            count = parse_number(match.group("fnum"))
        return base if count == 1 else f"{_num(count)}x/{base}"
    if match.group("h1"):
        h1 = float(match.group("h1"))
        if match.group("h2"):
            return f"{_num(h1)}–{_num(float(match.group('h2')))} h"
        return f"{_num(h1)} h"
    simple = re.sub(r"\s+", " ", match.group("simple").lower())
    simple = re.sub(r"\s*/\s*", "/", simple)
    return patterns.periods[simple]


def _frequency(match: re.Match[str]) -> float | None:
    """Intakes per period when the period counts them ("twice daily" -> 2.0), else None."""
    if match.group("period") is None or not match.group("fper"):
        return None
    count = FREQUENCY_WORDS.get((match.group("fword") or "").lower())
    return float(count) if count is not None else parse_number(match.group("fnum"))


# upper-bound words that set a maximum ("no more than 4 g", "do not exceed 8 g"): role "limit";
# "up to", "less than", "under", "below" describe an open range unless a negation precedes them
LIMIT_WORDS = frozenset({"no more than", "not more than", "at most", "exceed", "exceeding", "a maximum of",
                         "maximum of", "max of"})


def _unit_key(text: str) -> str:
    return re.sub(r"\s+", " ", text.lower())


# full-width ASCII forms (U+FF01-U+FF5E) and the ideographic space, as their ASCII characters
# (one for one: offsets into the folded text are offsets into the text)
_FULL_WIDTH = {**{cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}, 0x3000: 0x20}


def find_doses(text: str, *, patterns: DosePatterns | None = None) -> list[Dose]:
    """All dose mentions in ``text``, sorted and non-overlapping."""
    patterns = patterns or load_default_dose_patterns()
    text = text.translate(_FULL_WIDTH)
    doses: list[Dose] = []
    for match in _dose_matches(text, patterns):
        sep = (match.group("sep") or "").lower()
        qual = re.sub(r"\s+", " ", (match.group("qual") or "").lower())
        unit = patterns.units[_unit_key(match.group("unit"))]
        if match.group("perw"):
            per = re.sub(r"\s+", " ", match.group("perw").strip().lower())
            per = re.sub(r"\s*/\s*", "/", per)
            unit += patterns.per_weight[per]
        period = _period(match, patterns)
        lo = parse_number(match.group("lo"))
        hi = parse_number(match.group("hi")) if match.group("hi") else None
        start = match.start("qual") if match.group("qual") else match.start("lo")
        end = match.end()
        if match.group("unit") == "G" or match.group("lo_unit") == "G":
            continue  # "5G", "4G": network generations, not grams
        frequency = _frequency(match)
        if sep in ("and", "or") and qual not in ("between", "from") and not (
                sep == "or" and not match.group("lo_unit") and hi == lo + 1 and lo.is_integer() and hi <= 10):
            # ("2 or 3 cups": two neighbouring counts say a vague range, kept as one)
            # "10 g and 4 g", "1400 mg or 30 mg": two doses with their own units; alternatives
            # "450 and 900 mg", "250 or 600 mg": two doses too, the first one (its span is the
            # number alone) taking the shared unit and period
            assert hi is not None
            if match.group("lo_unit"):
                lo_unit = patterns.units[_unit_key(match.group("lo_unit"))]
                doses.append(Dose(match.start("lo"), match.end("lo_unit"), lo, lo, lo_unit, None))
            else:
                doses.append(Dose(match.start("lo"), match.end("lo"), lo, lo, unit, period, frequency))
            doses.append(Dose(match.start("hi"), end, hi, hi, unit, period, frequency))
            continue
        if match.group("lo_unit"):
            lo_unit = patterns.units[_unit_key(match.group("lo_unit"))]
            base_unit = patterns.units[_unit_key(match.group("unit"))]
            if hi is None:
                # "5 g - grams"?  Degenerate: keep the first amount and unit only.
                doses.append(Dose(start, match.end("lo_unit"), lo, lo, lo_unit, None))
                continue
            if lo_unit != base_unit:
                a, b = CONVERSIONS.get(lo_unit), CONVERSIONS.get(base_unit)
                if a and b and a[0] == b[0]:
                    lo = lo * a[1] / b[1]
                else:
                    doses.append(Dose(start, match.end("lo_unit"), lo, lo, lo_unit, None))
                    doses.append(Dose(match.start("hi"), end, hi, hi, unit, period))
                    continue
        if hi is None:
            dose_min, dose_max = lo, lo
        else:
            dose_min, dose_max = min(lo, hi), max(lo, hi)
        role = None
        if qual in UPPER_BOUND:
            dose_min = None
            if qual in LIMIT_WORDS or _NEGATED_BOUND.search(text, max(0, start - 40), start):
                role = "limit"  # "no more than 4 g", "do not exceed 8 g", "never use up to ..."
        elif qual in LOWER_BOUND:
            if _NEGATED_BOUND.search(text, max(0, start - 40), start):
                dose_min = None  # "never take more than 10 g": the most one may take
                role = "limit"
            else:
                dose_max = None
        if (unit in COUNT_UNITS and period is None and hi is None and not qual
                and match.group("lo").strip().lower() in NUMBER_WORDS):
            continue  # "one pill of drug A", "two cups of coffee": a count, not a dose
        doses.append(Dose(start, end, _clean(dose_min), _clean(dose_max), unit, period, frequency, role))
    for m in _PERCENT.finditer(text):
        value = parse_number(m.group("num"))
        doses.append(Dose(m.start(), m.end(), value, value, "%", None))
    doses.sort(key=lambda d: (d.start, d.end))
    result: list[Dose] = []
    for dose in doses:
        if result and dose.start < result[-1].end:
            continue
        result.append(dose)
    return result


# "never take more than 10 g", "do not use more than 8 g a day": a lower-bound word under a
# negation states a maximum (a limit), not a minimum
_NEGATED_BOUND = re.compile(r"\b(?:never|not|no|don'?t|do\s+not|shouldn'?t|should\s+not|must\s+not|"
                            r"avoid|without)\b[^.;:!?\d]{0,30}$", re.IGNORECASE)
# a concentration of a topical product: "a 0.025 percent cream", "0.075% capsaicin gel"
TOPICAL_FORMS = ("cream", "creams", "gel", "gels", "ointment", "ointments", "lotion", "lotions", "patch",
                 "patches", "solution", "spray", "rub", "balm")
_PERCENT = re.compile(
    r"(?<![\w.,/])(?P<num>(?:\d+(?:\.\d+)?|\.\d+))\s*(?:%|percent|per\s+cent)"
    r"(?=\s+(?:[\w-]+\s+){0,2}(?:" + "|".join(TOPICAL_FORMS) + r")\b)", re.IGNORECASE)
COUNT_UNITS = frozenset({"capsule", "tablet", "pill", "cup", "drop", "puff"})


def _clean(x: float | None) -> float | None:
    if x is None:
        return None
    return round(x, 9)


# -- amounts that are not doses -------------------------------------------------

# A number with a mass unit is no dose when it is a concentration ("9.5 mg/dL",
# "220 IU/L"), a body weight or a seized quantity ("gained 2 kilograms", "6 kg
# of kratom seized"), or a lab value ("total bilirubin 9.5 mg"); the context word
# must come right before the amount, with no other number between them ("she
# weighed 60 kg and took 3 g a day": 3 g is a dose).  A negative amount or one
# followed by its confidence interval is a statistic ("-0.64 mg, CI …").
_CONCENTRATION = re.compile(r"\s*/\s*(?:d?l|m?l|dl|deciliter|decilitre|liter|litre)\b", re.IGNORECASE)
_BODY_UNITS = frozenset({"kg", "lb", "stone"})
_NOT_DOSE_CONTEXT = re.compile(
    r"\b(?:bilirubin|AST|ALT|ALP|GGT|INR|creatinine|albumin|serum|plasma|blood levels?|urine|labs?|"
    r"concentrations?|levels? of|weigh(?:s|ed|ing|t)?|gain(?:ed|ing)?|los(?:t|ing)|seiz(?:ed|ure)|"
    r"confiscated|tons?|shipments?|imports?)\b[^.;\d]{0,40}$", re.IGNORECASE)


_STATISTIC_AFTER = re.compile(r"[^.;]{0,25}?(?:\(|,|;)\s*(?:95\s*%\s*)?(?:CI|confidence interval|p\s*[<=>])\b")


def is_not_a_dose(text: str, dose: Dose) -> bool:
    """True when the amount at ``dose`` is a measurement rather than an amount taken."""
    if _CONCENTRATION.match(text, dose.end):
        return True
    if dose.start > 0 and text[dose.start - 1] in "-\u2212" and (
            dose.start < 2 or not (text[dose.start - 2].isalnum() or text[dose.start - 2] in "-\u2212")):
        return True  # a negative amount: a difference between groups, not a dose
    if _STATISTIC_AFTER.match(text, dose.end):
        return True  # "0.18 mg IV morphine, CI -0.02 to 0.39": an estimate with its interval
    if dose.unit in _BODY_UNITS:
        return True
    return bool(_NOT_DOSE_CONTEXT.search(text[max(0, dose.start - 60):dose.start]))
