"""Data tests for the shipped rule packs, in the spirit of codespell's test_dictionary.py.

The loader validates the schema when a `Linter` is built; these tests check what a schema cannot:
that ids are unique across packs, every rule explains itself in both languages, word lists hold
no duplicates or self-cancelling exceptions, lexicon references resolve, and every regex compiles
with the groups its kind reads.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import opencc
import pytest
import regex
import yaml

from healthlint.finding import CATEGORIES
from healthlint.matching.vocabulary import REGEX_PREFIX
from healthlint.rules.load import expand_fragments

RULES_DIR = Path(__file__).resolve().parent.parent / "rules"
RULE_FILES = sorted(
    p
    for p in RULES_DIR.glob("*/*.yaml")
    if p.name != "_defaults.yaml" and p.parent.name in CATEGORIES
)
FRAGMENTS = yaml.safe_load((RULES_DIR / "fragments.yaml").read_text(encoding="utf-8"))["fragments"]
VOCABULARIES = sorted((RULES_DIR / "vocabularies").glob("*.txt"))
SEVERITIES = frozenset({"error", "warning", "info"})
KEBAB = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
# Options whose entries are all regexes, and the named group each must define (None: none).
REGEX_OPTIONS = {
    "patterns": None,
    "quantities": None,
    "not_quantities": None,
    "failure": "claim",
    "markers": "ref",
}
# Word lists: literal terms, `re:` regexes and `@lexicon` references.
WORD_OPTIONS = ("terms", "exceptions", "citations", "promotion", "advice", "disclaimers")


def _load(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle) or {}


def _rules() -> Iterator[tuple[str, dict[str, Any]]]:
    """Each shipped rule with its id and category filled in from its file's name and folder."""
    for path in RULE_FILES:
        rule = _load(path)
        yield (
            f"{path.parent.name}/{path.name}",
            {
                **rule,
                "id": path.stem,
                "category": path.parent.name,
            },
        )


def _lexicons() -> Iterator[tuple[str, str, list[str]]]:
    for path in VOCABULARIES:
        words = [
            w for w in path.read_text(encoding="utf-8").splitlines() if w and not w.startswith("#")
        ]
        yield path.name, path.stem, words


RULES = list(_rules())
RULE_IDS = [f"{pack}:{rule.get('id')}" for pack, rule in RULES]


def test_the_folder_holds_only_rule_folders_and_vocabularies() -> None:
    """Vale's and yamllint's layout: one rule per file, found by its name."""
    entries = {p.name for p in RULES_DIR.iterdir() if not p.name.startswith(".")}
    assert entries <= {*CATEGORIES, "vocabularies", "fragments.yaml", "README.md"}, entries
    for folder in (RULES_DIR / c for c in CATEGORIES if (RULES_DIR / c).is_dir()):
        for path in folder.iterdir():
            assert path.suffix == ".yaml", path
            if path.name != "_defaults.yaml":
                assert KEBAB.match(path.stem), path


@pytest.mark.parametrize("path", RULE_FILES, ids=[p.name for p in RULE_FILES])
def test_a_rule_file_does_not_repeat_its_name_or_folder(path: Path) -> None:
    rule = _load(path)
    assert "id" not in rule and "category" not in rule, path
    assert "rules" not in rule and "lexicon" not in rule, "one rule per file"


def _conditions(rule: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for key in ("requires", "unless", "escalate"):
        yield from rule.get(key) or []


def _strings(value: Any) -> list[str]:
    """An option that holds one string or a list of them, as a list."""
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def _special(word: str) -> bool:
    """A lexicon reference or a regex, not a literal term."""
    return word.startswith(("@", REGEX_PREFIX))


def test_every_category_has_rules() -> None:
    assert {rule["category"] for _, rule in RULES} == set(CATEGORIES)


def test_rule_ids_unique_across_packs() -> None:
    counts = Counter(rule.get("id") for _, rule in RULES)
    assert [rule_id for rule_id, n in counts.items() if n > 1] == []


@pytest.mark.parametrize(("pack", "rule"), RULES, ids=RULE_IDS)
def test_rule_explains_itself(pack: str, rule: dict[str, Any]) -> None:
    assert KEBAB.match(rule["id"]), rule["id"]
    assert rule["category"] in CATEGORIES
    assert rule["severity"] in SEVERITIES
    for key in ("message", "suggestion"):
        assert set(rule[key]) == {"zh", "en"}, key
        assert all(isinstance(text, str) and text.strip() for text in rule[key].values()), key
    assert isinstance(rule["basis"], str)
    assert re.search(r"《[^》]+》|第.+条|规范|guidance", rule["basis"]), "basis names no law"
    examples = rule["examples"]
    assert examples.get("bad"), "no bad example"
    assert examples.get("good"), "no good example"


@pytest.mark.parametrize(("pack", "rule"), RULES, ids=RULE_IDS)
def test_word_lists_have_no_duplicates(pack: str, rule: dict[str, Any]) -> None:
    for key in (*WORD_OPTIONS, *REGEX_OPTIONS):
        words = _strings(rule.get(key))
        duplicated = [word for word, n in Counter(words).items() if n > 1]
        assert duplicated == [], key


@pytest.mark.parametrize(("pack", "rule"), RULES, ids=RULE_IDS)
def test_no_term_is_silenced_by_its_own_exceptions(pack: str, rule: dict[str, Any]) -> None:
    """A term that contains one of its rule's exceptions could never be reported."""
    exceptions = [e for e in _strings(rule.get("exceptions")) if not _special(e)]
    for term in _strings(rule.get("terms")):
        if _special(term):
            continue
        assert [exc for exc in exceptions if exc in term] == [], term


@pytest.mark.parametrize(("pack", "rule"), RULES, ids=RULE_IDS)
def test_regexes_compile_with_their_groups(pack: str, rule: dict[str, Any]) -> None:
    for key, group in REGEX_OPTIONS.items():
        for source in _strings(rule.get(key)):
            compiled = regex.compile(expand_fragments(source, FRAGMENTS))
            if group:
                assert group in compiled.groupindex, f"{key}: {source} has no {group} group"
    words = [w for key in WORD_OPTIONS for w in _strings(rule.get(key))]
    words += [w for c in _conditions(rule) for w in _strings(c.get("any"))]
    for word in words:
        if word.startswith(REGEX_PREFIX):
            regex.compile(expand_fragments(word[len(REGEX_PREFIX) :], FRAGMENTS))


@pytest.mark.parametrize(("pack", "rule"), RULES, ids=RULE_IDS)
def test_written_in_simplified_lower_case(pack: str, rule: dict[str, Any]) -> None:
    """Terms are matched against normalised text, so a traditional or upper-case one never fires."""
    to_simplified = opencc.OpenCC("t2s")
    words = [*_strings(rule.get("terms")), *_strings(rule.get("exceptions"))]
    for condition in _conditions(rule):
        words.extend(_strings(condition.get("any")))
    for word in (w for w in words if not _special(w)):
        assert to_simplified.convert(word) == word, word
        assert word == word.lower(), word


def test_lexicon_entries_clean() -> None:
    to_simplified = opencc.OpenCC("t2s")
    for _, name, words in _lexicons():
        assert words, name
        duplicated = [word for word, n in Counter(words).items() if n > 1]
        assert duplicated == [], name
        literal = [word for word in words if not _special(word)]
        assert all(to_simplified.convert(word) == word for word in literal), name


def test_lexicon_references_resolve() -> None:
    defined = {name for _, name, _ in _lexicons()}
    used = set()
    for _, rule in RULES:
        for key in WORD_OPTIONS:
            used.update(w[1:] for w in _strings(rule.get(key)) if w.startswith("@"))
        for condition in _conditions(rule):
            used.update(w[1:] for w in _strings(condition.get("any")) if w.startswith("@"))
    assert used - defined == set()


@pytest.mark.parametrize(("pack", "rule"), RULES, ids=RULE_IDS)
def test_conditions_are_well_formed(pack: str, rule: dict[str, Any]) -> None:
    scopes = {"clause", "sentence", "paragraph", "document", "window"}
    for condition in _conditions(rule):
        assert condition["scope"] in scopes
        assert _strings(condition.get("any")), condition
        assert ("window" in condition) == (condition["scope"] == "window"), condition


#: A regex longer than this is a word list in disguise: it belongs in a vocabulary file.
MAX_REGEX = 200


@pytest.mark.parametrize(("pack", "rule"), RULES, ids=RULE_IDS)
def test_no_regex_is_a_word_list_in_disguise(pack: str, rule: dict[str, Any]) -> None:
    sources = [s for key in REGEX_OPTIONS for s in _strings(rule.get(key))]
    words = [w for key in WORD_OPTIONS for w in _strings(rule.get(key))]
    words += [w for c in _conditions(rule) for w in _strings(c.get("any"))]
    sources += [w[len(REGEX_PREFIX) :] for w in words if w.startswith(REGEX_PREFIX)]
    assert [s for s in sources if len(s) > MAX_REGEX] == []


def test_no_vocabulary_regex_is_a_word_list_in_disguise() -> None:
    long = [
        (path.stem, line)
        for path in VOCABULARIES
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.startswith(REGEX_PREFIX) and len(line) - len(REGEX_PREFIX) > MAX_REGEX
    ]
    assert long == []


def _vocabularies() -> dict[str, set[str]]:
    return {
        path.stem: {
            line for line in path.read_text(encoding="utf-8").splitlines() if line[:1] != "#"
        }
        for path in VOCABULARIES
    }


@pytest.mark.parametrize(("pack", "rule"), RULES, ids=RULE_IDS)
def test_no_inline_list_copies_a_vocabulary(pack: str, rule: dict[str, Any]) -> None:
    """A list a rule spells out may not copy most of a vocabulary: it should name it (`@name`),
    so the word list is kept, and sourced, in one place. A few shared common words (手术, 药)
    are no copy: the rule means those words, not the vocabulary's purpose."""
    lists = [_strings(rule.get(key)) for key in ("terms", "exceptions")]
    lists += [_strings(c.get("any")) for c in _conditions(rule)]
    copied = []
    for words in lists:
        literal = {w for w in words if not w.startswith(("@", REGEX_PREFIX))}
        copied += [
            (name, sorted(literal & vocabulary))
            for name, vocabulary in _vocabularies().items()
            if len(literal & vocabulary) >= max(3, len(vocabulary) / 2)
        ]
    assert copied == []
