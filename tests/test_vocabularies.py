"""Tests of the word lists in rules/vocabularies/ (the data, not a loader).

In the spirit of codespell's test_dictionary.py: every file is well formed (header keys,
sorted, no duplicates, simplified Chinese), the validators catch bad entries, the generated
files are exactly what scripts/build_vocabularies.py produces now, and its stop, keep and
extra lists do what their headers say.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import opencc
import pytest
import regex
import yaml

from healthlint.rules.load import expand_fragments

ROOT = Path(__file__).resolve().parent.parent
VOCAB = ROOT / "rules" / "vocabularies"
SCRIPT = ROOT / "scripts" / "build_vocabularies.py"
FRAGMENTS = yaml.safe_load((ROOT / "rules" / "fragments.yaml").read_text(encoding="utf-8"))[
    "fragments"
]
HEADER_KEYS = ("name", "what", "source", "licence", "rebuild")
# Optional: "# traditional: allowed" lets a list hold forms that t2s would change (aliases).
OPTIONAL_KEYS = ("traditional",)
HAND = "hand-curated"
NAME = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*\Z")
_T2S = opencc.OpenCC("t2s")


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_vocabularies", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


build = _load_script()


def vocabulary_problems(name: str, text: str) -> list[str]:
    """Every way `text` breaks the fixed file format; empty when it is well formed.

    Kept separate from the tests that walk the files so that it can be fed bad input, the
    way codespell tests its own validators."""
    problems = []
    if "\r" in text:
        problems.append("CR line ending")
    if not text.endswith("\n") or text.endswith("\n\n"):
        problems.append("file must end in exactly one LF")
    lines = text.split("\n")[:-1]
    header: dict[str, str] = {}
    body: list[str] = []
    for number, line in enumerate(lines, 1):
        if line.startswith("#"):
            if body:
                problems.append(f"line {number}: comment after the first term")
            key, sep, value = line[1:].strip().partition(": ")
            if sep and key in (*HEADER_KEYS, *OPTIONAL_KEYS):
                if key in header:
                    problems.append(f"line {number}: header key {key} repeated")
                header[key] = value
            continue
        if not line.strip():
            problems.append(f"line {number}: blank line")
            continue
        if line != line.strip():
            problems.append(f"line {number}: surrounding space in {line!r}")
        if "#" in line:
            problems.append(f"line {number}: inline comment in {line!r}")
        body.append(line)
    for key in HEADER_KEYS:
        if not header.get(key, "").strip():
            problems.append(f"header key {key} missing or empty")
    if header.get("name") not in (None, name):
        problems.append(f"name {header.get('name')!r} is not the file name {name!r}")
    if not NAME.match(name):
        problems.append(f"{name!r} is not snake_case")
    if not body:
        problems.append("no terms")
    if body != sorted(body):
        first = next(a for a, b in zip(body, sorted(body), strict=True) if a != b)
        problems.append(f"not sorted by code point (first out of place: {first!r})")
    seen: set[str] = set()
    for term in body:
        if term in seen:
            problems.append(f"duplicate {term!r}")
        seen.add(term)
        if term.startswith("re:"):
            try:
                regex.compile(expand_fragments(term[3:], FRAGMENTS))
            except (regex.error, ValueError) as exc:
                problems.append(f"regex {term!r} does not compile: {exc}")
        elif header.get("traditional") != "allowed" and _T2S.convert(term) != term:
            problems.append(f"{term!r} is not simplified (t2s gives {_T2S.convert(term)!r})")
    return problems


def _input(name: str) -> list[str]:
    return build.read_terms(build.DATA / name)


def vocabulary_files() -> list[Path]:
    return sorted(VOCAB.glob("*.txt"))


def terms(name: str) -> list[str]:
    return build.read_vocabulary(VOCAB / f"{name}.txt")[1]


def header(name: str) -> dict[str, str]:
    return build.read_vocabulary(VOCAB / f"{name}.txt")[0]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """What the build script writes now, into a temporary directory (run once)."""
    out = tmp_path_factory.mktemp("vocabularies")
    assert build.main(["--out", str(out)]) == 0
    return {p.stem: p.read_text(encoding="utf-8") for p in out.glob("*.txt")}


@pytest.fixture(scope="module")
def sources() -> list[object]:
    """jieba's dictionary and the vendored THUOCL subset, as the build reads them."""
    return build.load_jieba(build.jieba_dict_path()) + build.load_thuocl(build.THUOCL_VENDORED)


@pytest.fixture(scope="module")
def raw(sources: list) -> dict[str, set[str]]:
    """What the morphology selects before any stop, keep or extra list (computed once)."""
    simplify = build.Simplifier()
    parts = _input("symptoms-body-parts.txt")
    return {
        "diseases": set(build.build_diseases(sources, simplify, [], [], [])),
        "symptoms": set(build.build_symptoms(sources, simplify, parts, [], [])),
    }


# --- the format ------------------------------------------------------------------------------


def test_there_are_vocabularies() -> None:
    assert len(vocabulary_files()) >= 20


@pytest.mark.parametrize("path", vocabulary_files(), ids=lambda p: p.stem)
def test_file_is_well_formed(path: Path) -> None:
    text = path.read_bytes().decode("utf-8")
    assert vocabulary_problems(path.stem, text) == []


@pytest.mark.parametrize("path", vocabulary_files(), ids=lambda p: p.stem)
def test_rebuild_says_how(path: Path) -> None:
    rebuild = header(path.stem)["rebuild"]
    assert rebuild in (HAND, build.REBUILD)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("# name: x\n# what: w\n# source: s\n# licence: l\n# rebuild: r\nb\na\n", "not sorted"),
        ("# name: x\n# what: w\n# source: s\n# licence: l\n# rebuild: r\na\na\n", "duplicate"),
        ("# name: x\n# what: w\n# source: s\n# licence: l\n# rebuild: r\na\n\nb\n", "blank"),
        ("# name: x\n# what: w\n# source: s\n# licence: l\n# rebuild: r\n a\n", "space"),
        ("# name: x\n# what: w\n# source: s\n# licence: l\n# rebuild: r\na # b\n", "inline"),
        ("# name: x\n# what: w\n# source: s\n# licence: l\n# rebuild: r\n醫療\n", "simplified"),
        ("# name: x\n# what: w\n# source: s\n# licence: l\n# rebuild: r\nre:(\n", "compile"),
        ("# name: x\n# what: w\n# source: s\n# licence: l\n# rebuild: r\na", "exactly one LF"),
        ("# name: x\n# what: w\n# source: s\n# licence: l\n# rebuild: r\na\r\n", "CR"),
        ("# name: x\n# what: w\n# source: s\n# rebuild: r\na\n", "licence missing"),
        ("# name: y\n# what: w\n# source: s\n# licence: l\n# rebuild: r\na\n", "file name"),
        ("# name: x\n# what: w\n# source: s\n# licence: l\n# rebuild: r\na\n# c\n", "after"),
    ],
)
def test_validator_catches(text: str, problem: str) -> None:
    found = vocabulary_problems("x", text)
    assert any(problem in p for p in found), found


def test_validator_accepts_aliases_and_regexes_when_allowed() -> None:
    text = (
        "# name: x\n# what: w\n# source: s\n# licence: l\n# rebuild: r\n# traditional: allowed\n"
        "re:最[佳好]\n醫療\n"
    )
    assert vocabulary_problems("x", text) == []


# --- the generated files ---------------------------------------------------------------------


def test_generated_files_are_up_to_date(generated: dict[str, str]) -> None:
    """Rebuilding gives the committed bytes: run the script and commit after editing inputs."""
    for name, text in generated.items():
        assert (VOCAB / f"{name}.txt").read_text(encoding="utf-8") == text, name


def test_generated_files_are_exactly_those_marked_generated(generated: dict[str, str]) -> None:
    marked = {p.stem for p in vocabulary_files() if header(p.stem)["rebuild"] == build.REBUILD}
    assert marked == set(generated)


def test_build_is_deterministic(generated: dict[str, str]) -> None:
    assert build.generate() == generated


def test_render_refuses_a_header_without_licence() -> None:
    with pytest.raises(ValueError, match="licence"):
        build.render({"name": "x", "what": "w", "source": "s", "rebuild": "r"}, ["a"])


# --- diseases --------------------------------------------------------------------------------


def test_diseases_is_large() -> None:
    assert len(terms("diseases")) >= 1500


@pytest.mark.parametrize(
    "word", ["高血压", "关节炎", "糖尿病", "帕金森病", "多囊卵巢综合征", "脑梗", "干眼病"]
)
def test_diseases_has(word: str) -> None:
    assert word in terms("diseases")


@pytest.mark.parametrize("word", ["司马炎", "于建炎", "毛病", "语病", "抗癌", "消炎", "生病"])
def test_diseases_lacks(word: str) -> None:
    assert word not in terms("diseases")


@pytest.mark.parametrize("stem", ["diseases", "symptoms"])
def test_stop_list_is_applied_and_every_entry_stops_something(
    stem: str, raw: dict[str, set[str]]
) -> None:
    """A stop entry that the morphology does not select is dead and hides a typo."""
    stop = _input(f"{stem}-stop.txt")
    assert stop, "empty stop list"
    assert not set(stop) & set(terms(stem))
    assert [w for w in stop if w not in raw[stem]] == []


@pytest.mark.parametrize("name", ["diseases-stop.txt", "symptoms-stop.txt"])
def test_every_stop_entry_has_a_reason(name: str) -> None:
    for line in (build.DATA / name).read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            term, sep, reason = line.partition("#")
            assert sep and reason.strip(), f"{name}: {term.strip()} has no reason"


def test_nr_keep_entries_are_person_tagged_in_jieba(sources: list) -> None:
    """The keep list exists only to rescue disease names jieba tags nr; nothing else."""
    simplify = build.Simplifier()
    nr = {simplify(e.word) for e in sources if e.tag == "nr"}
    keep = _input("diseases-nr-keep.txt")
    assert keep
    assert [w for w in keep if w not in nr] == []
    assert set(keep) <= set(terms("diseases"))


@pytest.mark.parametrize("stem", ["diseases", "symptoms"])
def test_extra_entries_are_not_already_generated(stem: str, raw: dict[str, set[str]]) -> None:
    """An extra that the morphology reaches anyway is clutter in a list that must stay short."""
    reached = raw[stem] | (set(_input("diseases-nr-keep.txt")) if stem == "diseases" else set())
    extra = _input(f"{stem}-extra.txt")
    assert extra
    assert [w for w in extra if w in reached] == []
    assert len(extra) == len(set(extra))


@pytest.mark.parametrize(
    "name",
    sorted(p.name for p in build.DATA.glob("*.txt") if p.name != "thuocl-medical.txt"),
)
def test_script_inputs_are_simplified(name: str) -> None:
    bad = [w for w in _input(name) if _T2S.convert(w) != w]
    assert bad == []


def test_vendored_thuocl_covers_every_morpheme() -> None:
    """The vendored subset keeps THUOCL words by final character; a new morpheme whose final
    character is not in it needs the subset re-imported (--import-thuocl)."""
    text = build.THUOCL_VENDORED.read_text(encoding="utf-8")
    assert build.THUOCL_COMMIT in text and build.THUOCL_MEDICAL_SHA256 in text
    assert "MIT License" in text and "Copyright (c) 2018 THUNLP" in text
    chars_line = text.splitlines()[2].lstrip("# ")
    assert build.vendor_final_chars() <= set(chars_line)
    entries = build.load_thuocl(build.THUOCL_VENDORED)
    assert len(entries) > 3000
    assert all(e.word[-1] in chars_line for e in entries)


# --- the other lists -------------------------------------------------------------------------


def test_symptoms_is_large_enough() -> None:
    assert len(terms("symptoms")) >= 300


@pytest.mark.parametrize("word", ["头痛", "失眠", "便秘", "腰酸背痛", "耳鸣", "手脚冰凉"])
def test_symptoms_has(word: str) -> None:
    assert word in terms("symptoms")


@pytest.mark.parametrize("word", ["心酸", "手软", "脑干", "扑热息痛", "止痛"])
def test_symptoms_lacks(word: str) -> None:
    assert word not in terms("symptoms")


def test_serious_diseases_include_the_regulations_list() -> None:
    listed = "癌 肿瘤 白血病 糖尿病 高血压 冠心病 中风 不孕不育 阿尔茨海默 帕金森 肝硬化 乙肝"
    assert {*listed.split(), "艾滋", "自闭症"} <= set(terms("serious_diseases"))


def test_health_functions_hold_both_catalogues() -> None:
    functions = set(terms("health_functions"))
    assert {"增强免疫力", "辅助降血糖", "对胃粘膜有辅助保护功能", "通便"} <= functions  # 2003
    assert {"有助于增强免疫力", "耐缺氧", "有助于维持血糖健康水平", "有助于排铅"} <= functions


def test_efficacy_morphemes_are_single_characters() -> None:
    assert all(len(t) == 1 for t in terms("efficacy_morphemes"))


def test_verb_lists_hold_no_single_characters() -> None:
    """Single characters only work glued to an object; they belong in efficacy_morphemes."""
    for name in ("cure_verbs", "prevention_verbs", "relief_verbs", "function_verbs"):
        assert [t for t in terms(name) if len(t) == 1] == [], name


def test_product_lists_are_disjoint() -> None:
    """Each product list decides which law applies; a word in two would decide nothing."""
    names = sorted(p.stem for p in vocabulary_files() if p.stem.startswith("products_"))
    assert len(names) >= 6
    seen: dict[str, str] = {}
    clashes = []
    for name in names:
        for term in terms(name):
            if term in seen:
                clashes.append((term, seen[term], name))
            seen[term] = name
    assert clashes == []


def test_tw_permitted_and_tw_claims_do_not_overlap() -> None:
    permitted = set(terms("tw_permitted"))
    assert not permitted & set(terms("tw_medical_efficacy"))
    assert not permitted & set(terms("tw_misleading"))


def test_readme_names_every_list() -> None:
    readme = (VOCAB / "README.md").read_text(encoding="utf-8")
    missing = [p.stem for p in vocabulary_files() if f"`{p.stem}`" not in readme]
    assert missing == []


def _all_comment_text() -> Iterator[str]:
    for path in [*vocabulary_files(), *build.DATA.glob("*.txt")]:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("#") or "#" in line:
                yield line


ABSOLUTE_PATH = re.compile(r"(?:^|[\s(])/[A-Za-z_.-]+/")


def test_no_local_paths_in_data() -> None:
    """Sources are named by title or URL, never by where a file sat on someone's disk."""
    assert [line for line in _all_comment_text() if ABSOLUTE_PATH.search(line)] == []
