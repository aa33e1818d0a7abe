"""Rule packs: load YAML safely, validate it strictly, compile every rule once.

A pack is a YAML file with a `rules:` list and an optional `lexicon:` of named word lists.
Validation is strict in the manner of Vale's definitions: an unknown key, a wrong type, an
unknown kind or category, or a regex that does not compile is a `RuleError` naming the file
and the line of the rule, so a typo never silently disables a check.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import regex

from healthlint.context import CUE_LISTS, Cues
from healthlint.document.normalize import normalize
from healthlint.errors import RuleError
from healthlint.finding import CATEGORIES, Severity
from healthlint.kinds import KINDS, Kind
from healthlint.kinds.base import REQUIRED, Option
from healthlint.matching import Prefilter, TermIndex, prefilter
from healthlint.vocabulary import Vocabulary, compile_vocabulary
from healthlint.yamlsafe import line_of, load_yaml

SCOPES = ("clause", "sentence", "paragraph", "document", "window")
SIDES = ("before", "after", "both")
WHERE = ("body", "heading")
LANGUAGES = ("zh", "en")
_ID = r"^[a-z0-9][a-z0-9-]*$"  # compiled (and cached by `re`) only when packs are read

_TEXT = (str, dict)
COMMON: dict[str, Option] = {
    "id": Option(str, doc="unique rule id, kebab-case"),
    "kind": Option(str, doc="one of the rule kinds"),
    "category": Option(str, doc="one of the seven categories"),
    "severity": Option(str, doc="error, warning or info"),
    "message": Option(_TEXT, doc="what is wrong: text, or {zh: …, en: …}"),
    "basis": Option(str, doc="the law and article or platform rule"),
    "suggestion": Option(_TEXT, None, "wording that would pass"),
    "description": Option(_TEXT, None, "a longer explanation for `healthlint explain`"),
    "fix": Option((str, dict), None, "delete, or {replace: text}"),
    "examples": Option(dict, doc="{bad: [...], good: [...]}"),
    "exceptions": Option(list, [], "longer strings that make a hit inside them innocent"),
    "word_boundary": Option(bool, False, "a hit must start and end on jieba word boundaries"),
    "negatable": Option(bool, None, "suppressed by negation, hedging, questions and debunks"),
    "quotable": Option(bool, None, "suppressed inside a quotation of a law or a rumour"),
    "scopes": Option(list, list(WHERE), "where the rule looks: body, heading"),
    "requires": Option(list, [], "conditions that must all hold"),
    "unless": Option(list, [], "conditions none of which may hold"),
    "escalate": Option(list, [], "conditions any of which raise the severity one level"),
}
CONDITION: dict[str, Option] = {
    "scope": Option(str, doc="clause, sentence, paragraph, document or window"),
    "any": Option(list, doc="terms or `re:` regexes; one occurring in the scope is enough"),
    "window": Option(int, 10, "characters either side, within the sentence (scope: window)"),
    "side": Option(str, "both", "with scope: window, look before, after or both sides of the hit"),
}


@dataclass(frozen=True)
class Condition:
    scope: str
    window: int
    vocabulary: Vocabulary
    side: str = "both"


@dataclass(frozen=True)
class Example:
    text: str
    flagged: str | None = None


@dataclass(frozen=True)
class Rule:
    """A compiled rule: its metadata, its kind's matcher and the context options."""

    id: str
    kind: str
    category: str
    severity: Severity
    messages: Mapping[str, str]
    basis: str
    suggestions: Mapping[str, str] | None
    descriptions: Mapping[str, str] | None
    fix: str | Mapping[str, str] | None
    bad: tuple[Example, ...]
    good: tuple[str, ...]
    path: str
    line: int | None
    matcher: Kind = field(repr=False)
    exceptions: Vocabulary = field(repr=False)
    word_boundary: bool
    negatable: bool
    quotable: bool
    scopes: frozenset[str]
    requires: tuple[Condition, ...] = field(repr=False)
    unless: tuple[Condition, ...] = field(repr=False)
    escalate: tuple[Condition, ...] = field(repr=False)

    def message(self, language: str = "zh") -> str:
        return _pick(self.messages, language)

    def suggestion(self, language: str = "zh") -> str | None:
        return _pick(self.suggestions, language) if self.suggestions else None

    def description(self, language: str = "zh") -> str | None:
        return _pick(self.descriptions, language) if self.descriptions else None


@dataclass(frozen=True)
class RuleSet:
    """Every loaded rule, the shared term index and the context cues."""

    rules: tuple[Rule, ...]
    index: TermIndex
    cues: Cues
    #: (pattern, flags) → where in a text the regex can match
    prefilters: Mapping[tuple[str, int], Prefilter] = field(default_factory=dict)


def default_rules_dir() -> Path:
    """The packs shipped with healthlint (package data in a wheel, `rules/` in a checkout).

    Found from the package's own file: importing `importlib.resources` would cost more than
    the rest of the command line's start-up, and the packs are plain files in both cases."""
    from healthlint import packs

    return Path(str(packs.__file__)).parent


def pack_files(directory: str | os.PathLike[str]) -> list[Path]:
    """The YAML packs of a folder, sorted so that load order (and errors) are stable."""
    path = Path(directory)
    if not path.is_dir():
        raise RuleError("rules folder not found", path=str(directory))
    return sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


def load_rules(directories: Iterable[str | os.PathLike[str]]) -> RuleSet:
    """Load, validate and compile every pack of the given folders, in order."""
    packs = []
    for directory in directories:
        for path in pack_files(directory):
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise RuleError(f"cannot read rule pack: {exc}", path=str(path)) from None
            data = load_yaml(text, path=str(path), error=RuleError)
            packs.append((str(path), _check_pack(data, str(path))))
    lexicon: dict[str, list[str]] = {}
    for path, data in packs:
        for name, words in data.get("lexicon", {}).items():
            if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
                raise RuleError(
                    f"lexicon list {name!r} must be a list of strings",
                    path=path,
                    line=line_of(words),
                )
            lexicon.setdefault(str(name), []).extend(words)
    terms: set[str] = set()
    prefilters: dict[tuple[str, int], Prefilter] = {}
    rules: list[Rule] = []
    seen: dict[str, str] = {}
    for path, data in packs:
        for raw in data.get("rules", []):
            rule = _compile_rule(raw, path, lexicon, terms, prefilters)
            if rule.id in seen:
                raise RuleError(
                    f"rule id {rule.id!r} is already defined in {seen[rule.id]}",
                    path=path,
                    line=rule.line,
                )
            seen[rule.id] = path
            rules.append(rule)
    cue_compiler = _Compiler("lexicon", None, lexicon, terms, prefilters)
    cues = Cues(
        {
            name: cue_compiler.vocabulary([f"@{name}"] if name in lexicon else [])
            for name in CUE_LISTS
        }
    )
    return RuleSet(tuple(rules), TermIndex(terms), cues, prefilters)


def _check_pack(data: Any, path: str) -> Mapping[str, Any]:
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise RuleError("a rule pack must be a mapping with a `rules:` list", path=path)
    unknown = set(data) - {"rules", "lexicon", "description"}
    if unknown:
        raise RuleError(
            f"unknown key {sorted(unknown)[0]!r} in rule pack", path=path, line=line_of(data)
        )
    if not isinstance(data.get("rules", []), list):
        raise RuleError("`rules` must be a list", path=path, line=line_of(data))
    if not isinstance(data.get("lexicon", {}), dict):
        raise RuleError(
            "`lexicon` must be a mapping of names to lists", path=path, line=line_of(data)
        )
    return data


class _Compiler:
    """Compiles the vocabularies and regexes of one rule, raising errors that point at it."""

    def __init__(
        self,
        path: str,
        line: int | None,
        lexicon: dict[str, list[str]],
        terms: set[str],
        prefilters: dict[tuple[str, int], Prefilter],
    ) -> None:
        self.path, self.line, self._lexicon, self._terms = path, line, lexicon, terms
        self._prefilters = prefilters

    def error(self, message: str) -> RuleError:
        return RuleError(message, path=self.path, line=self.line)

    def vocabulary(self, items: list[str]) -> Vocabulary:
        if not all(isinstance(i, str) for i in items):
            raise self.error("word lists may hold only strings")
        try:
            vocabulary = compile_vocabulary(
                items, lexicon=self._lexicon, normalize=_normal, compile_regex=self.regex
            )
        except KeyError as exc:
            raise self.error(str(exc.args[0])) from None
        self._terms.update(vocabulary.terms)
        return vocabulary

    def regex(self, pattern: str, *, groups: tuple[str, ...] = ()) -> regex.Pattern[str]:
        if not isinstance(pattern, str):
            raise self.error(f"a regex must be a string, not {type(pattern).__name__}")
        try:
            compiled = regex.compile(pattern)
        except (regex.error, OverflowError, RecursionError) as exc:
            raise self.error(f"invalid regex {pattern!r}: {exc}") from None
        missing = [g for g in groups if g not in compiled.groupindex]
        if missing:
            raise self.error(f"regex {pattern!r} needs a named group ({missing[0]!r})")
        found = None if compiled.flags & regex.IGNORECASE else prefilter(pattern)
        if found:
            self._terms.update(found.literals)
            self._prefilters[(compiled.pattern, compiled.flags)] = found
        return compiled


@lru_cache(maxsize=65536)
def _normal(term: str) -> str:
    return normalize(term).text


def _compile_rule(
    raw: Any,
    path: str,
    lexicon: dict[str, list[str]],
    terms: set[str],
    prefilters: dict[tuple[str, int], Prefilter],
) -> Rule:
    line = line_of(raw)
    if not isinstance(raw, dict):
        raise RuleError("each rule must be a mapping", path=path, line=line)
    rule_id = raw.get("id")
    where = f"rule {rule_id!r}" if isinstance(rule_id, str) else "rule"
    kind_name = raw.get("kind")
    if kind_name not in KINDS:
        known = ", ".join(sorted(KINDS))
        raise RuleError(
            f"{where}: unknown kind {kind_name!r} (known: {known})", path=path, line=line
        )
    kind = KINDS[kind_name]
    common = {k: v for k, v in raw.items() if k in COMMON}
    own = {k: v for k, v in raw.items() if k not in COMMON}
    values = _validate(common, COMMON, f"{where}", path, line)
    options = _validate(own, kind.options, f"{where} ({kind_name})", path, line)
    if not re.match(_ID, values["id"]):
        raise RuleError(f"{where}: ids are lower-case kebab-case", path=path, line=line)
    if values["category"] not in CATEGORIES:
        raise RuleError(
            f"{where}: unknown category {values['category']!r} (see TAXONOMY.md)",
            path=path,
            line=line,
        )
    try:
        severity = Severity(values["severity"])
    except ValueError:
        raise RuleError(
            f"{where}: severity must be error, warning or info", path=path, line=line
        ) from None
    bad_scopes = set(values["scopes"]) - set(WHERE)
    if bad_scopes:
        raise RuleError(
            f"{where}: unknown scope {sorted(bad_scopes)[0]!r} in scopes", path=path, line=line
        )
    compiler = _Compiler(path, line, lexicon, terms, prefilters)
    try:
        matcher = kind(options, compiler)
    except ValueError as exc:
        raise RuleError(f"{where}: {exc}", path=path, line=line) from None
    bad, good = _examples(values["examples"], where, path, line)
    return Rule(
        id=values["id"],
        kind=kind_name,
        category=values["category"],
        severity=severity,
        messages=_texts(values["message"], "message", where, path, line),
        basis=values["basis"],
        suggestions=_texts(values["suggestion"], "suggestion", where, path, line)
        if values["suggestion"]
        else None,
        descriptions=_texts(values["description"], "description", where, path, line)
        if values["description"]
        else None,
        fix=_fix(values["fix"], where, path, line),
        bad=bad,
        good=good,
        path=path,
        line=line,
        matcher=matcher,
        exceptions=compiler.vocabulary(values["exceptions"]),
        word_boundary=values["word_boundary"],
        negatable=kind.negatable if values["negatable"] is None else values["negatable"],
        quotable=kind.quotable if values["quotable"] is None else values["quotable"],
        scopes=frozenset(values["scopes"]),
        requires=_conditions(values["requires"], compiler, where),
        unless=_conditions(values["unless"], compiler, where),
        escalate=_conditions(values["escalate"], compiler, where),
    )


def _validate(
    data: Mapping[str, Any], schema: Mapping[str, Option], where: str, path: str, line: int | None
) -> dict[str, Any]:
    """Check keys and types against a schema; fill defaults. Unknown keys are errors."""
    unknown = set(data) - set(schema)
    if unknown:
        raise RuleError(f"{where}: unknown option {sorted(unknown)[0]!r}", path=path, line=line)
    values = {}
    for name, option in schema.items():
        if name not in data:
            if option.default is REQUIRED:
                raise RuleError(f"{where}: missing required option {name!r}", path=path, line=line)
            values[name] = option.default
            continue
        value = data[name]
        if not isinstance(value, option.types) or (isinstance(value, bool) and option.types is int):
            expected = (
                option.types.__name__
                if isinstance(option.types, type)
                else " or ".join(t.__name__ for t in option.types)
            )
            raise RuleError(
                f"{where}: {name!r} must be a {expected}", path=path, line=line_of(value) or line
            )
        values[name] = value
    return values


def _texts(value: Any, name: str, where: str, path: str, line: int | None) -> Mapping[str, str]:
    if isinstance(value, str):
        return {"zh": value}
    unknown = set(value) - set(LANGUAGES)
    if unknown or "zh" not in value or not all(isinstance(v, str) for v in value.values()):
        raise RuleError(
            f"{where}: {name} must be text or {{zh: …, en: …}}",
            path=path,
            line=line_of(value) or line,
        )
    return dict(value)


def _pick(texts: Mapping[str, str], language: str) -> str:
    return texts.get(language) or texts["zh"]


def _fix(value: Any, where: str, path: str, line: int | None) -> str | Mapping[str, str] | None:
    if value is None or value == "delete":
        return value
    if isinstance(value, dict) and set(value) == {"replace"} and isinstance(value["replace"], str):
        return {"replace": value["replace"]}
    raise RuleError(f"{where}: fix must be `delete` or {{replace: text}}", path=path, line=line)


def _examples(
    value: Mapping[str, Any], where: str, path: str, line: int | None
) -> tuple[tuple[Example, ...], tuple[str, ...]]:
    at = line_of(value) or line
    if set(value) - {"bad", "good"} or not value.get("bad") or not value.get("good"):
        raise RuleError(
            f"{where}: examples need a non-empty `bad` and `good` list", path=path, line=at
        )
    bad = []
    for item in value["bad"]:
        if isinstance(item, str):
            bad.append(Example(item))
        elif (
            isinstance(item, dict)
            and isinstance(item.get("text"), str)
            and set(item) <= {"text", "flagged"}
        ):
            bad.append(Example(item["text"], item.get("flagged")))
        else:
            raise RuleError(
                f"{where}: a bad example is text or {{text, flagged}}",
                path=path,
                line=line_of(item) or at,
            )
    if not all(isinstance(g, str) for g in value["good"]):
        raise RuleError(f"{where}: good examples are texts", path=path, line=at)
    return tuple(bad), tuple(value["good"])


def _conditions(items: list[Any], compiler: _Compiler, where: str) -> tuple[Condition, ...]:
    out = []
    for item in items:
        if not isinstance(item, dict):
            raise compiler.error(f"{where}: a condition is a mapping {{scope, any}}")
        values = _validate(
            item, CONDITION, f"{where} condition", compiler.path, line_of(item) or compiler.line
        )
        if values["scope"] not in SCOPES:
            raise compiler.error(f"{where}: unknown condition scope {values['scope']!r}")
        if values["side"] not in SIDES:
            raise compiler.error(f"{where}: a condition's side is before, after or both")
        vocabulary = compiler.vocabulary(values["any"])
        out.append(Condition(values["scope"], values["window"], vocabulary, values["side"]))
    return tuple(out)
