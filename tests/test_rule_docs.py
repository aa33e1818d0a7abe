"""The rule documentation: every shipped rule says what it flags, why, on what basis and what to
write instead, in Chinese and English, and the pages in docs/rules/ are what
scripts/rule_docs.py writes now, each with every section (ruff's check_docs_formatted.py)."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

import pytest

from healthlint import context
from healthlint.rules.load import Rule, default_rules_dir, load_rules

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "rule_docs.py"
DOCS = ROOT / "docs" / "rules"
RULES = load_rules([default_rules_dir()], filters=tuple(context.OPTIONAL)).rules
IDS = [r.id for r in RULES]
#: A basis names at least one law, regulation or platform rule by its title in 《》.
LEGAL_TITLE = re.compile(
    r"《[^》]*(?:法|办法|条例|规定|规范|指南|意见|通知|清单|目录|准则|细则)(?:（[^》]*）)?》"
)
PROMPTS = ("share-solicitation", "commercial-contact")
LINK = re.compile(r"\]\(([^)#\s]*)(?:#([^)\s]+))?\)")


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("rule_docs", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def rule_docs() -> ModuleType:
    return _script()


@pytest.fixture(scope="module")
def pages(rule_docs: ModuleType) -> dict[str, str]:
    return rule_docs.render_all(RULES)


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_rule_is_documented_in_both_languages(rule: Rule) -> None:
    for field in ("messages", "descriptions", "suggestions"):
        texts = getattr(rule, field)
        assert texts is not None, f"{rule.id} has no {field[:-1]}"
        for language in ("zh", "en"):
            assert texts.get(language, "").strip(), f"{rule.id}: {field[:-1]} has no {language}"


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_rule_has_a_legal_basis_and_examples(rule: Rule) -> None:
    assert LEGAL_TITLE.search(rule.basis), f"{rule.id}: basis names no law or rule: {rule.basis}"
    assert rule.bad and rule.good, f"{rule.id} needs bad and good examples"


def test_pages_are_current(rule_docs: ModuleType, pages: dict[str, str]) -> None:
    stale = rule_docs.stale_pages(DOCS, pages)
    assert stale == [], (
        f"{', '.join(p.name for p in stale)} out of date: run python scripts/rule_docs.py"
    )


def test_check_option_reports_a_stale_page(
    rule_docs: ModuleType, pages: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rule_docs, "render_all", lambda: pages)  # rendered once, above
    assert rule_docs.main(["--out", str(tmp_path)]) == 0
    assert rule_docs.main(["--out", str(tmp_path), "--check"]) == 0
    page = tmp_path / f"{IDS[0]}.md"
    page.write_text(page.read_text(encoding="utf-8") + "edited\n", encoding="utf-8")
    (tmp_path / "retired-rule.md").write_text("# retired-rule\n", encoding="utf-8")
    assert rule_docs.main(["--out", str(tmp_path), "--check"]) == 1
    assert rule_docs.main(["--out", str(tmp_path)]) == 0
    assert not (tmp_path / "retired-rule.md").exists()
    assert rule_docs.main(["--out", str(tmp_path), "--check"]) == 0


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_page_has_every_section(rule_docs: ModuleType, rule: Rule) -> None:
    page = (DOCS / f"{rule.id}.md").read_text(encoding="utf-8")
    headings = [line for line in page.splitlines() if line.startswith("## ")]
    assert headings == [rule_docs.section_heading(s) for s in rule_docs.SECTIONS], rule.id
    assert page.startswith(f"# {rule.id}\n")
    assert f"../categories.md#{rule.category}" in page


def test_index_lists_every_rule_under_its_category(pages: dict[str, str]) -> None:
    index = pages["README.md"]
    sections = dict(re.findall(r"^## ([a-z-]+)\n(.*?)(?=^## |\Z)", index, re.M | re.S))
    for rule in RULES:
        assert f"[{rule.id}]({rule.id}.md)" in sections[rule.category], rule.id


def test_every_filter_is_explained(rule_docs: ModuleType, pages: dict[str, str]) -> None:
    modules = (*context.ALWAYS, *context.OPTIONAL.values(), *context.LAST)
    names = {m.NAME for m in modules}
    assert set(rule_docs.FILTER_PHRASES) == names
    headings = set(re.findall(r"^### (\S+)$", pages["context.md"], re.M))
    assert names <= headings


def test_links_point_at_files_and_headings(pages: dict[str, str]) -> None:
    texts = {(DOCS / name).resolve(): text for name, text in pages.items()}
    categories = (DOCS.parent / "categories.md").resolve()  # written by hand
    texts[categories] = categories.read_text(encoding="utf-8")
    anchors = {
        path: {_anchor(h) for h in re.findall(r"^#+ (.+)$", text, re.M)}
        for path, text in texts.items()
    }
    for name, text in pages.items():
        for target, anchor in LINK.findall(text):
            path = (DOCS / (target or name)).resolve()
            assert path.exists() or path in texts, f"{name}: {target} does not exist"
            if anchor:
                assert anchor in anchors.get(path, ()), f"{name}: no heading #{anchor} in {target}"


def test_delete_fixes_of_prompts_are_called_safe(pages: dict[str, str]) -> None:
    for rule in RULES:
        if rule.fix is not None and rule.fix.deletes and rule.category in PROMPTS:
            fix = pages[f"{rule.id}.md"].split("## 自动修复 · Fix")[1].split("\n## ")[0]
            assert "The fix is safe" in fix, rule.id
            assert "例 · Example" in fix, f"{rule.id}: no example of its fix"


def _anchor(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")
