"""Rule folders: read YAML and word lists safely, validate every rule, compile each once.

A rules folder (the shipped `rules/`, or one of a user's `rules_dirs`) holds

- `<category>/<rule-id>.yaml`: one rule per file, its id the file's name and its category the
  folder's (Vale's and yamllint's layout); a file may instead hold a `rules:` list (a pack);
- `<folder>/_defaults.yaml`: options every rule of that folder gets unless it sets its own;
- `vocabularies/<name>.txt`: a named word list, one term (or `re:` regex) a line, referenced
  from rules as `@name`; a pack's `lexicon:` mapping adds lists the same way;
- `fragments.yaml`: named regex fragments (`fragments: {count: "(?:\\d+|[一二三]+)"}`) that
  any regex writes as `{{count}}`, so a shape is spelled once.

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

from healthlint.document.normalize import normalize
from healthlint.errors import RuleError
from healthlint.finding import CATEGORIES, Fix, Severity
from healthlint.kinds import KINDS, Kind
from healthlint.matching.prefilter import Prefilter, prefilter
from healthlint.matching.terms import TermIndex
from healthlint.matching.vocabulary import Vocabulary, compile_vocabulary
from healthlint.rules.schema import CONDITION, LANGUAGES, common_options, validate
from healthlint.sources.decode import read_bounded
from healthlint.sources.yamlsafe import MAX_BYTES, line_of, load_yaml

_ID = r"^[a-z0-9][a-z0-9-]*$"  # compiled (and cached by `re`) only when packs are read
_FRAGMENT = r"\{\{([a-z][a-z0-9_]*)\}\}"
DEFAULTS_FILE = "_defaults.yaml"
VOCABULARY_FOLDER = "vocabularies"
#: A rule file's keys that a folder's defaults may not set: they say what the rule is.
_OWN = frozenset({"id", "examples", "message"})


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
    """A compiled rule: its metadata, its kind's matcher and its context options."""

    id: str
    kind: str
    category: str
    severity: Severity
    messages: Mapping[str, str]
    basis: str
    suggestions: Mapping[str, str] | None
    descriptions: Mapping[str, str] | None
    fix: Fix | None
    bad: tuple[Example, ...]
    good: tuple[str, ...]
    path: str
    line: int | None
    matcher: Kind = field(repr=False)
    exceptions: Vocabulary = field(repr=False)
    word_boundary: bool
    filters: tuple[str, ...]
    register: frozenset[str]
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
    """Every loaded rule, the shared term index and the compiled cue lists the caller asked for."""

    rules: tuple[Rule, ...]
    index: TermIndex
    #: lexicon name → vocabulary, for each requested cue list the folders define
    cues: Mapping[str, Vocabulary]
    #: (pattern, flags) → where in a text the regex can match
    prefilters: Mapping[tuple[str, int], Prefilter] = field(default_factory=dict)


def default_rules_dir() -> Path:
    """The packs shipped with healthlint: `healthlint/packs/` in an installed wheel, the
    repository's `rules/` beside the package in a checkout, so a clone runs as it is.

    Found from the package's own file: importing `importlib.resources` would cost more than
    the rest of the command line's start-up, and the packs are plain files in both cases."""
    package = Path(__file__).resolve().parent.parent
    installed = package / "packs"
    return installed if installed.is_dir() else package.parent / "rules"


def rule_files(directory: str | os.PathLike[str]) -> list[Path]:
    """Every file of a rules folder that loading reads, sorted so that load order (and
    errors) are stable: YAML files anywhere below it and `vocabularies/*.txt`."""
    root = Path(directory)
    if not root.is_dir():
        raise RuleError("rules folder not found", path=str(directory))
    found = []
    for path in sorted(root.rglob("*")):
        if not path.is_file() or any(p.startswith(".") for p in path.relative_to(root).parts):
            continue
        if path.suffix in (".yaml", ".yml") or (
            path.suffix == ".txt" and path.parent.name == VOCABULARY_FOLDER
        ):
            found.append(path)
    return found


def load_rules(
    directories: Iterable[str | os.PathLike[str]],
    *,
    filters: tuple[str, ...] | None = None,
    cues: tuple[str, ...] = (),
) -> RuleSet:
    """Load, validate and compile every rule of the given folders, in order.

    `filters` are the names a rule's `filters:` may use (None: any), `cues` the lexicon lists
    to compile for the context filters (the engine knows both; lists no folder defines are
    left out, for the engine to report)."""
    lexicon: dict[str, list[str]] = {}
    fragments: dict[str, str] = {}
    documents: list[tuple[str, Any]] = []
    defaults: dict[Path, Mapping[str, Any]] = {}
    for directory in directories:
        for path in rule_files(directory):
            name = str(path)
            data = read_bounded(path, MAX_BYTES, error=RuleError, what="rule file")
            try:
                text = data.decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                raise RuleError(f"not UTF-8 text (byte {exc.start})", path=name) from None
            if path.suffix == ".txt":
                _extend(lexicon, path.stem, read_vocabulary(text, name), name, None)
            elif path.name == DEFAULTS_FILE:
                defaults[path.parent] = _check_defaults(
                    load_yaml(text, path=name, error=RuleError), name
                )
            else:
                documents.append((name, load_yaml(text, path=name, error=RuleError)))
    raws = [
        (name, raw, single)
        for name, data in documents
        for raw, single in _rules_of(data, name, lexicon, fragments)
    ]
    terms: set[str] = set()
    prefilters: dict[tuple[str, int], Prefilter] = {}
    schema = common_options(filters)
    rules: list[Rule] = []
    seen: dict[str, str] = {}
    for name, raw, single in raws:
        folder_defaults = defaults.get(Path(name).parent, {})
        compiler = _Compiler(name, line_of(raw), lexicon, fragments, terms, prefilters)
        rule = _compile_rule(raw, name, single, folder_defaults, schema, compiler)
        if rule.id in seen:
            raise RuleError(
                f"rule id {rule.id!r} is already defined in {seen[rule.id]}",
                path=name,
                line=rule.line,
            )
        seen[rule.id] = name
        rules.append(rule)
    compiler = _Compiler("lexicon", None, lexicon, fragments, terms, prefilters)
    compiled = {cue: compiler.vocabulary([f"@{cue}"]) for cue in cues if cue in lexicon}
    return RuleSet(tuple(rules), TermIndex(terms), compiled, prefilters)


def expand_fragments(pattern: str, fragments: Mapping[str, str]) -> str:
    """`{{name}}` replaced by its fragment (fragments may use fragments, four deep); a
    `ValueError` names an unknown fragment or deeper nesting."""
    for _ in range(4):
        if "{{" not in pattern:
            return pattern
        try:
            pattern = re.sub(_FRAGMENT, lambda m: fragments[m.group(1)], pattern)
        except KeyError as exc:
            raise ValueError(f"unknown regex fragment {{{{{exc.args[0]}}}}}") from None
    if "{{" in pattern and re.search(_FRAGMENT, pattern):
        raise ValueError("regex fragments nested more than four deep")
    return pattern


def read_vocabulary(text: str, path: str) -> list[str]:
    """The terms of a `vocabularies/*.txt` file: one a line; `#` lines and blanks are not."""
    terms = []
    for number, line in enumerate(text.splitlines(), 1):
        term = line.strip()
        if not term or term.startswith("#"):
            continue
        if term.startswith("@"):
            raise RuleError(
                "a vocabulary holds terms, not references to lists", path=path, line=number
            )
        terms.append(term)
    return terms


def _extend(
    lexicon: dict[str, list[str]], name: str, words: Any, path: str, line: int | None
) -> None:
    """Add a named list; the same name in several folders or packs is one list."""
    if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
        raise RuleError(f"lexicon list {name!r} must be a list of strings", path=path, line=line)
    lexicon.setdefault(name, []).extend(words)


def _rules_of(
    data: Any, path: str, lexicon: dict[str, list[str]], fragments: dict[str, str]
) -> list[tuple[Any, bool]]:
    """The raw rules of one YAML file, each with whether it is the file's only rule (which
    then takes its id from the file's name): a single rule, or a pack with `rules:`,
    `lexicon:` and `fragments:`."""
    if data is None:
        return []
    if not isinstance(data, dict):
        raise RuleError("a rule file must be a mapping: one rule, or a `rules:` list", path=path)
    if "kind" in data:
        return [(data, True)]
    unknown = set(data) - {"rules", "lexicon", "fragments", "description"}
    if unknown:
        raise RuleError(
            f"unknown key {sorted(unknown, key=str)[0]!r} in rule pack "
            "(a file holding one rule needs a kind)",
            path=path,
            line=line_of(data),
        )
    if not isinstance(data.get("rules", []), list):
        raise RuleError("`rules` must be a list", path=path, line=line_of(data))
    if not isinstance(data.get("lexicon", {}), dict):
        raise RuleError(
            "`lexicon` must be a mapping of names to lists", path=path, line=line_of(data)
        )
    for name, words in data.get("lexicon", {}).items():
        _extend(lexicon, str(name), words, path, line_of(words) or line_of(data))
    _add_fragments(fragments, data.get("fragments", {}), path, line_of(data))
    return [(raw, False) for raw in data.get("rules", [])]


def _add_fragments(fragments: dict[str, str], found: Any, path: str, line: int | None) -> None:
    """Named regex fragments; a name is defined once across all folders."""
    if not isinstance(found, dict) or not all(isinstance(v, str) for v in found.values()):
        raise RuleError("`fragments` must map names to regex strings", path=path, line=line)
    for name, text in found.items():
        if not re.fullmatch(r"[a-z][a-z0-9_]*", str(name)):
            raise RuleError(
                f"fragment name {name!r} must be lower_snake_case", path=path, line=line
            )
        if name in fragments:
            raise RuleError(f"fragment {name!r} is defined twice", path=path, line=line)
        fragments[str(name)] = text


def _check_defaults(data: Any, path: str) -> Mapping[str, Any]:
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise RuleError("folder defaults must be a mapping of rule options", path=path)
    own = sorted(_OWN & set(data))
    if own:
        raise RuleError(f"{own[0]!r} is a rule's own; folder defaults cannot set it", path=path)
    return data


class _Compiler:
    """Compiles the vocabularies and regexes of one rule, raising errors that point at it."""

    def __init__(
        self,
        path: str,
        line: int | None,
        lexicon: dict[str, list[str]],
        fragments: dict[str, str],
        terms: set[str],
        prefilters: dict[tuple[str, int], Prefilter],
    ) -> None:
        self.path, self.line, self._lexicon, self._terms = path, line, lexicon, terms
        self._fragments = fragments
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
        pattern = self._expand(pattern)
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

    def _expand(self, pattern: str) -> str:
        try:
            return expand_fragments(pattern, self._fragments)
        except ValueError as exc:
            raise self.error(str(exc)) from None


@lru_cache(maxsize=65536)
def _normal(term: str) -> str:
    return normalize(term).text


def _compile_rule(
    raw: Any,
    path: str,
    single: bool,
    defaults: Mapping[str, Any],
    schema: Mapping[str, Any],
    compiler: _Compiler,
) -> Rule:
    line = line_of(raw)
    if not isinstance(raw, dict):
        raise RuleError("each rule must be a mapping", path=path, line=line)
    raw = {**{k: v for k, v in defaults.items() if k in schema}, **raw}
    rule_id = raw.get("id") or (Path(path).stem if single else None)
    where = f"rule {rule_id!r}" if isinstance(rule_id, str) else "rule"
    kind_name = raw.get("kind")
    if kind_name not in KINDS:
        known = ", ".join(sorted(KINDS))
        raise RuleError(
            f"{where}: unknown kind {kind_name!r} (known: {known})", path=path, line=line
        )
    kind = KINDS[kind_name]
    values = validate({k: v for k, v in raw.items() if k in schema}, schema, where, path, line)
    options = validate(
        {k: v for k, v in raw.items() if k not in schema},
        kind.options,
        f"{where} ({kind_name})",
        path,
        line,
    )
    values["id"] = _identity(
        values["id"], Path(path).stem if single else None, "id", where, path, line
    )
    folder = Path(path).parent.name
    values["category"] = _identity(
        values["category"],
        folder if single and folder in CATEGORIES else None,
        "category",
        where,
        path,
        line,
    )
    if not re.match(_ID, values["id"]):
        raise RuleError(f"{where}: ids are lower-case kebab-case", path=path, line=line)
    try:
        matcher = kind(options, compiler)
    except ValueError as exc:
        raise RuleError(f"{where}: {exc}", path=path, line=line) from None
    bad, good = _examples(values["examples"], where, path, line)
    return Rule(
        id=values["id"],
        kind=kind_name,
        category=values["category"],
        severity=Severity(values["severity"]),
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
        filters=tuple(kind.filters if values["filters"] is None else values["filters"]),
        register=frozenset(values["register"] or ()),
        scopes=frozenset(values["scopes"]),
        requires=_conditions(values["requires"], compiler, where),
        unless=_conditions(values["unless"], compiler, where),
        escalate=_conditions(values["escalate"], compiler, where),
    )


def _identity(
    given: str | None, implied: str | None, key: str, where: str, path: str, line: int | None
) -> str:
    """A rule file's id (its name) or category (its folder), which the file may repeat."""
    if given is None and implied is None:
        raise RuleError(f"{where}: missing required option {key!r}", path=path, line=line)
    if given is not None and implied is not None and given != implied:
        source = "name" if key == "id" else "folder"
        raise RuleError(
            f"{where}: {key} {given!r} does not match the file's {source} {implied!r}",
            path=path,
            line=line,
        )
    return given if given is not None else implied  # type: ignore[return-value]


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


def _fix(value: Any, where: str, path: str, line: int | None) -> Fix | None:
    """`delete` or `{replace: text}` with a non-empty text: the one place `fix:` is read."""
    if value is None:
        return None
    if value == "delete":
        return Fix("")
    if isinstance(value, dict) and set(value) == {"replace"}:
        text = value["replace"]
        if isinstance(text, str) and text:
            return Fix(text)
    raise RuleError(
        f"{where}: fix must be `delete` or {{replace: text}} with a non-empty text",
        path=path,
        line=line_of(value) or line,
    )


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
        values = validate(
            item, CONDITION, f"{where} condition", compiler.path, line_of(item) or compiler.line
        )
        vocabulary = compiler.vocabulary(values["any"])
        out.append(Condition(values["scope"], values["window"], vocabulary, values["side"]))
    return tuple(out)
