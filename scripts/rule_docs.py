"""Write the rule reference in docs/rules/ from the shipped rules, in the manner of ruff's docs.

Every shipped rule gets a page, `docs/rules/<rule-id>.md`, with the same sections in the same
order: what it flags (its message), why (its description and legal basis), flagged and
unflagged examples (the ones the tests run), what to write instead, what `--fix` does, the
context it reads (the filters it runs, the register it reports in, its conditions) and how to
suppress it. `docs/rules/README.md` lists the rules by category; `docs/rules/context.md`
explains the context filters from their modules' docstrings. Headings are in Chinese and
English, and each section gives the Chinese text first, then the English.

The pages are built from the rules as the loader reads them (folder defaults applied), so
they cannot disagree with what `healthlint explain` prints; the output is deterministic, and a
test compares it with the files on disk.

    python scripts/rule_docs.py            # rewrite docs/rules/
    python scripts/rule_docs.py --check    # exit 1 if a page differs from what it would write
"""

from __future__ import annotations

import argparse
import inspect
import sys
import unicodedata
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run from a checkout without installing it
    sys.path.insert(0, str(ROOT))

from healthlint import Linter, context  # noqa: E402
from healthlint.config import Config  # noqa: E402
from healthlint.context import register, suppression  # noqa: E402
from healthlint.finding import CATEGORIES  # noqa: E402
from healthlint.formatters.explain import suppression_hint  # noqa: E402
from healthlint.kinds import KINDS  # noqa: E402
from healthlint.results.fix import apply_fixes  # noqa: E402
from healthlint.rules.load import DEFAULTS_FILE, Rule, default_rules_dir, load_rules  # noqa: E402

OUT = ROOT / "docs" / "rules"
REBUILD = "python scripts/rule_docs.py"
INDEX, CONTEXT = "README.md", "context.md"
CATEGORIES_PAGE = "../categories.md"

#: The sections of every rule page, in order: (Chinese, English).
SECTIONS = (
    ("标记内容", "What it flags"),
    ("原因", "Why"),
    ("会被标记的例子", "Examples: flagged"),
    ("不会被标记的例子", "Not flagged"),
    ("建议写法", "Use instead"),
    ("自动修复", "Fix"),
    ("上下文", "Context"),
    ("如何忽略", "How to suppress"),
)

#: Every context filter in one phrase, Chinese and English; context.md gives the whole story.
FILTER_PHRASES: Mapping[str, tuple[str, str]] = {
    "allow": (
        "配置中 allow 列出的短语（产品名、引用的标题）从不报告",
        "phrases the configuration allows (a product name, a quoted title) are never flagged",
    ),
    "references": ("文末的参考文献列表不检查", "the reference list at the end is never read"),
    "headings": (
        "规则设了 scopes 时，只检查正文或只检查标题",
        "with `scopes`, only the body or only the headings are read",
    ),
    "register": (
        "只在规则要求的语域（推广、软文、说明、无标记）中报告",
        "reports only in the registers the rule asks for",
    ),
    "exceptions": (
        "命中落在规则的例外词之内时不报告（根治性切除术中的“根治”）",
        "a hit inside one of the rule's exceptions is innocent",
    ),
    "conditions": (
        "规则的 requires（必须出现）和 unless（不得出现）条件",
        "the rule's requires (must occur) and unless (must not occur) conditions",
    ),
    "word-boundary": (
        "设了 word_boundary 时，命中必须是一个完整的词",
        "with `word_boundary`, a hit must be a whole word",
    ),
    "negation": (
        "在同一分句中被否定的说法（目前无法根治）",
        "a claim negated in its clause (目前无法根治)",
    ),
    "refutation": (
        "其后被驳斥，或处在“网传……谣言”这样的辟谣框架中",
        "refuted after it, or inside a rumour-and-refutation frame",
    ),
    "attribution": (
        "句中表明这是别人的说法（商家宣称……）",
        "reported as someone else's claim (商家宣称……)",
    ),
    "question": ("是在提问而不是断言（能根治吗？）", "asked, not asserted (能根治吗？)"),
    "hedging": ("带有“可能”“有望”等限定语，不是保证", "hedged (可能, 有望): no guarantee"),
    "speculation": (
        "推销文本之外，带“可能”“或许”等限定语的推测，不是承诺",
        "outside selling text, a hedged claim is speculation, not a promise",
    ),
    "debunk-document": ("全文是辟谣文章", "the whole text is a debunk"),
    "explanation": (
        "推广性文本之外，在说明健康知识的句子",
        "outside promotional text, a sentence that explains health",
    ),
    "quotation": (
        "在引述法规或传言的引号内，或在推广文本之外加了引号的提及",
        "quoted in a sentence about a law or a rumour, or in scare quotes outside promotion",
    ),
}

REGISTER_LABELS: Mapping[str, tuple[str, str]] = {
    register.PROMOTIONAL: ("推广性文本", "promotional text"),
    register.ADVERTORIAL: (
        "软文（说明健康知识，又点名在售产品）",
        "advertorial text (explains, and names products for sale)",
    ),
    register.INFORMATIONAL: (
        "说明性文本（科普、新闻）",
        "informational text (popular science, news)",
    ),
    register.UNMARKED: (
        "无明显标记的文本（多为短广告语）",
        "unmarked text (often a line of ad copy)",
    ),
}

_SCOPES = {
    "clause": ("同一分句", "the clause"),
    "sentence": ("同一句", "the sentence"),
    "paragraph": ("同一段", "the paragraph"),
    "document": ("全文", "the whole text"),
}
_SIDES = {"before": ("之前", "before"), "after": ("之后", "after"), "both": ("前后", "around")}
_CONDITIONS = (
    ("requires", "必须出现", "Requires"),
    ("unless", "出现则不报告", "Unless"),
    ("escalate", "出现则严重程度升高一级", "Escalates one level when"),
)
#: Categories whose `delete` fix removes a prompt and nothing of the content.
_PROMPT_CATEGORIES = frozenset({"share-solicitation", "commercial-contact"})
_MARKDOWN = str.maketrans({c: "\\" + c for c in "\\`*_[]<>|~"})


def load() -> tuple[Rule, ...]:
    """The shipped rules, as the engine loads them."""
    return load_rules([default_rules_dir()], filters=tuple(context.OPTIONAL)).rules


def render_all(rules: Sequence[Rule] | None = None) -> dict[str, str]:
    """Every page of docs/rules/ by file name."""
    rules = tuple(sorted(load() if rules is None else rules, key=lambda r: r.id))
    linter = Linter(Config()) if any(r.fix for r in rules) else None
    pages = {
        f"{rule.id}.md": rule_page(rule, fix_example(linter, rule) if linter else None)
        for rule in rules
    }
    pages[INDEX] = index_page(rules)
    pages[CONTEXT] = context_page()
    return pages


# --- one rule ----------------------------------------------------------------------------------


def fix_example(linter: Linter, rule: Rule) -> tuple[str, str] | None:
    """The first bad example the rule's fix changes, before and after `--fix`: what the fix
    really leaves, every finding of the rule in it fixed, not one span replaced by hand."""
    if rule.fix is None:
        return None
    for example in rule.bad:
        findings = [f for f in linter.lint(example.text) if f.rule == rule.id]
        fixed, applied = apply_fixes(example.text, findings, {rule.id: rule.fix})
        if applied:
            return example.text, fixed
    return None


def rule_page(rule: Rule, fixed: tuple[str, str] | None = None) -> str:
    """One rule's page; `fixed` is a bad example before and after `--fix`, if it has a fix."""
    source = _source(rule)
    raw = _raw(rule)
    out = [
        f"# {rule.id}",
        "",
        f"<!-- Generated by {REBUILD} from {source}; edit the rule, not this page. -->",
        "",
        "| 类别 · Category | 严重程度 · Severity | 规则类型 · Kind | 规则文件 · Source |",
        "|---|---|---|---|",
        f"| [{rule.category}]({CATEGORIES_PAGE}#{rule.category}) | {_severity(rule)} "
        f"| `{rule.kind}` | [{source}](../../{source}) |",
    ]
    bodies = (
        _bilingual(rule.messages),
        _why(rule),
        _bad_examples(rule),
        _examples(rule.good),
        _bilingual(rule.suggestions),
        _fix(rule, fixed),
        _context(rule, raw),
        _suppress(rule),
    )
    for heading, body in zip(SECTIONS, bodies, strict=True):
        out += ["", section_heading(heading), "", *body]
    return "\n".join(out) + "\n"


def section_heading(names: tuple[str, str]) -> str:
    return f"## {names[0]} · {names[1]}"


def _severity(rule: Rule, *, short: bool = False) -> str:
    if not rule.escalate:
        return rule.severity.value
    if short:
        return f"{rule.severity.value} ↑"
    return f"{rule.severity.value}（满足条件时升一级 · one level up when a condition holds）"


def _bilingual(texts: Mapping[str, str] | None) -> list[str]:
    """The Chinese text, then the English, as paragraphs; "（无）" when there is none."""
    found = [_md(_flat(texts[lang])) for lang in ("zh", "en") if texts and texts.get(lang)]
    return _paragraphs(found or ["（无） · None."])


def _why(rule: Rule) -> list[str]:
    return [*_bilingual(rule.descriptions), "", f"**依据 · Basis:** {_md(rule.basis)}"]


def _bad_examples(rule: Rule) -> list[str]:
    out = []
    for example in rule.bad:
        line = f"- {_example(example.text)}"
        if example.flagged is not None:
            line += f" — 标记 · flagged: “{_example(example.flagged)}”"
        out.append(line)
    return out


def _examples(texts: Sequence[str]) -> list[str]:
    return [f"- {_example(text)}" for text in texts]


def _fix(rule: Rule, fixed: tuple[str, str] | None) -> list[str]:
    fix = rule.fix
    if fix is None:
        return [
            "无自动修复：`--fix` 不会改动这类问题，请参照“建议写法”手工修改。",
            "",
            "No automatic fix: `--fix` leaves these findings as they are; rewrite by hand as "
            "suggested above.",
        ]
    if fix.deletes and rule.category in _PROMPT_CATEGORIES:
        out = [
            "`--fix` 删除标记的文字。这个修复是安全的：删去的只是分享或联系提示本身，文中的健康"
            "说法一字不改；提示前后的字词会留下，修复后请通读该句。",
            "",
            "`--fix` deletes the flagged text. The fix is safe: it removes the share or contact "
            "prompt itself and leaves every health statement as it was; the words around the "
            "prompt stay, so reread the sentence afterwards.",
        ]
    elif fix.deletes:
        out = [
            "`--fix` 删除标记的文字；修复后请通读该句，确认意思没有改变。",
            "",
            "`--fix` deletes the flagged text; reread the sentence to check its meaning "
            "afterwards.",
        ]
    else:
        out = [
            f"`--fix` 把标记的文字替换为“{_md(fix.replacement)}”；替换改变了说法，修复后请确认"
            "句子仍然准确。",
            "",
            f"`--fix` replaces the flagged text with “{_md(fix.replacement)}”; the replacement "
            "changes what the sentence says, so check it is still accurate.",
        ]
    if fixed is not None:
        before, after = fixed
        out += ["", f"例 · Example: “{_example(before)}” → “{_example(after)}”"]
    return out


def _context(rule: Rule, raw: Mapping[str, Any]) -> list[str]:
    chosen = [name for name in context.OPTIONAL if name in rule.filters]
    skipped = [name for name in context.OPTIONAL if name not in rule.filters]
    origin_zh, origin_en = _filters_origin(rule, raw)
    out = [f"运行的过滤器（{origin_zh}）· Filters it runs ({origin_en}):", ""]
    if chosen:
        out += [_filter_item(name) for name in chosen]
    else:
        out += ["- （无可选过滤器）· none of the optional filters"]
    if skipped:
        out += ["", f"不运行 · Not run: {_filter_links(skipped)}"]
    always = [m.NAME for m in (*context.ALWAYS, *context.LAST)]
    out += ["", f"每条规则都运行 · Run for every rule: {_filter_links(always)}"]
    out += ["", *_register(rule)]
    if rule.scopes != {"body", "heading"}:
        where = "heading" if rule.scopes == {"heading"} else "body"
        zh = "只检查标题" if where == "heading" else "只检查正文，不看标题"
        out += ["", f"{zh} · Reads the {where} only ([headings]({CONTEXT}#headings))."]
    if rule.word_boundary:
        out += [
            "",
            "命中必须是完整的词 · A hit must be a whole word "
            f"([word-boundary]({CONTEXT}#word-boundary)).",
        ]
    exceptions = raw.get("exceptions") or []
    if exceptions:
        out += [
            "",
            f"例外词 · Exceptions ([exceptions]({CONTEXT}#exceptions)): {_words(exceptions)}",
        ]
    for key, zh, en in _CONDITIONS:
        conditions = raw.get(key) or []
        if conditions:
            out += ["", f"{zh} · {en} ([conditions]({CONTEXT}#conditions)):", ""]
            out += [f"- {_condition(c)}" for c in conditions]
    return out


def _filter_item(name: str) -> str:
    zh, en = FILTER_PHRASES[name]
    return f"- [{name}]({CONTEXT}#{name}): {zh} · {en}"


def _filter_links(names: Sequence[str]) -> str:
    return ", ".join(f"[{name}]({CONTEXT}#{name})" for name in names)


def _filters_origin(rule: Rule, raw: Mapping[str, Any]) -> tuple[str, str]:
    if "filters" in _own(rule):
        return "本规则设定", "set by the rule"
    if "filters" in raw:
        folder = Path(rule.path).parent.name
        return f"{folder} 文件夹的默认设置", f"the {folder} folder's default"
    return f"{rule.kind} 类型的默认设置", f"the default of the `{rule.kind}` kind"


def _register(rule: Rule) -> list[str]:
    link = f"[register]({CONTEXT}#register)"
    if not rule.register:
        return [f"语域 · Register ({link}): 所有文本都检查 · every text is read."]
    out = [f"语域 · Register ({link}):", ""]
    for label, names in (
        ("报告 · Reported in", [r for r in register.REGISTERS if r in rule.register]),
        ("不报告 · Not reported in", [r for r in register.REGISTERS if r not in rule.register]),
    ):
        zh = "、".join(REGISTER_LABELS[r][0] for r in names)
        en = ", ".join(REGISTER_LABELS[r][1] for r in names)
        out.append(f"- {label}: {zh} · {en}")
    return out


def _condition(condition: Mapping[str, Any]) -> str:
    scope = condition["scope"]
    if scope == "window":
        window = condition.get("window", 10)
        zh_side, en_side = _SIDES[condition.get("side", "both")]
        where = f"命中{zh_side} {window} 个字以内 · within {window} characters {en_side} the hit"
    else:
        zh, en = _SCOPES[scope]
        side = condition.get("side", "both")
        if side != "both":
            zh_side, en_side = _SIDES[side]
            zh, en = f"{zh}中命中{zh_side}", f"{en}, {en_side} the hit"
        where = f"{zh} · {en}"
    return f"{where}: {_words(condition['any'])}"


def _words(words: Sequence[str]) -> str:
    return ", ".join(_word(w) for w in words)


def _word(word: str) -> str:
    if word.startswith("@"):
        name = word[1:]
        vocabulary = default_rules_dir() / "vocabularies" / f"{name}.txt"
        if vocabulary.is_file():
            return f"[{_code(word)}](../../rules/vocabularies/{name}.txt)"
    return _code(word)


def _suppress(rule: Rule) -> list[str]:
    next_line, block = suppression_hint(rule.id)
    return [
        "在 Markdown 或 HTML 注释中写明规则名（纯文本中同样有效）· In a Markdown or HTML comment "
        "that names the rule (plain text honours it too):",
        "",
        f"- 下一行 · the next line: `{next_line}`",
        f"- 本行（写在行尾）· this line (at its end): `<!-- healthlint-disable-line {rule.id} -->`",
        f"- 一段 · a block: `{block}` … `<!-- healthlint-enable -->`",
        "",
        f"整个项目 · For a whole project, in `.healthlint.yaml`: `ignore: [{rule.id}]`; 或整个类别"
        f" · or the whole category: `ignore: [{rule.category}]`.",
    ]


# --- the index ---------------------------------------------------------------------------------


def index_page(rules: Sequence[Rule]) -> str:
    out = [
        "# 规则一览 · Rules",
        "",
        f"<!-- Generated by {REBUILD} from rules/; edit the rules, not this page. -->",
        "",
        f"healthlint 自带 {len(rules)} 条规则，分属 {len(CATEGORIES)} 个类别。每条规则一页："
        "标记什么、为什么（法律依据）、会与不会被标记的例子、建议写法、自动修复、上下文和忽略方法。"
        f"上下文过滤器见 [{CONTEXT}]({CONTEXT})。“↑”表示满足条件时严重程度升高一级。",
        "",
        f"healthlint ships {len(rules)} rules in {len(CATEGORIES)} categories, one page each: "
        "what it flags, why (its legal basis), flagged and unflagged examples, what to write "
        "instead, its fix, its context and how to suppress it. The context filters are "
        f"explained in [{CONTEXT}]({CONTEXT}). “↑” marks a rule whose severity rises one level "
        "when its escalate condition holds.",
        "",
        f"重新生成 · Regenerate: `{REBUILD}` (`--check` exits 1 when a page is out of date).",
    ]
    for category in CATEGORIES:
        members = [r for r in rules if r.category == category]
        out += [
            "",
            f"## {category}",
            "",
            f"[类别说明 · About the category]({CATEGORIES_PAGE}#{category})",
            "",
            "| 规则 · Rule | 严重程度 · Severity | 说明 · Summary | 类型 · Kind |",
            "|---|---|---|---|",
        ]
        for rule in members:
            summary = f"{_first(rule.message('zh'), '。；')}<br>{_first(rule.message('en'), '.;')}"
            severity = _severity(rule, short=True)
            out.append(f"| [{rule.id}]({rule.id}.md) | {severity} | {summary} | `{rule.kind}` |")
    out += [
        "",
        "## 缩写 · Abbreviations",
        "",
        "- Advertising Law: 《中华人民共和国广告法》",
        "- DAR: 《药品、医疗器械、保健食品、特殊医学用途配方食品广告审查管理暂行办法》",
        "- Internet Advertising Measures: 《互联网广告管理办法》",
        "- Medical Advertising Measures: 《医疗广告管理办法》",
        "- 审查暂行办法: DAR; 执法指南: 《广告绝对化用语执法指南》",
    ]
    return "\n".join(out) + "\n"


def _first(text: str, marks: str) -> str:
    """The text up to its first sentence or clause mark, as the one-line summary."""
    text = _flat(text)
    cut = min((i for i in (text.find(m) for m in marks) if i > 0), default=-1)
    if cut > 0:
        text = text[:cut] + ("。" if marks[0] == "。" else ".")
    return _md(text)


# --- the context filters -----------------------------------------------------------------------


def context_page() -> str:
    out = [
        "# 上下文过滤器 · Context filters",
        "",
        f"<!-- Generated by {REBUILD} from the docstrings in healthlint/context/; "
        "edit those, not this page. -->",
        "",
        _docstring(context),
        "",
        "## 按规则选择 · Chosen per rule",
        "",
        "规则的 `filters:` 选出以下过滤器，未设置时用文件夹 `_defaults.yaml` 的设置，再没有就用"
        "规则类型的默认值 · A rule's `filters:` chooses among these; without one, its folder's "
        "`_defaults.yaml` decides, and then its kind. Kind defaults · 各类型的默认值: "
        + "; ".join(f"`{name}`: {', '.join(kind.filters) or '—'}" for name, kind in KINDS.items())
        + ".",
    ]
    for module in context.OPTIONAL.values():
        out += _filter_section(module)
    out += ["", "## 每条规则都运行 · Run for every rule"]
    for module in (*context.ALWAYS, *context.LAST):
        out += _filter_section(module)
    out += [
        "",
        "## 行内注释 · Inline suppressions",
        "",
        "行内注释作用于报告结果，在所有过滤器之后 · They act on findings, after every filter.",
        "",
        _docstring(suppression),
    ]
    return "\n".join(out) + "\n"


def _filter_section(module: ModuleType) -> list[str]:
    zh, en = FILTER_PHRASES[module.NAME]
    out = ["", f"### {module.NAME}", "", f"{zh} · {en}", "", _docstring(module)]
    if module.CUES:
        out += ["", f"读取的词表 · Cue lists: {_words([f'@{cue}' for cue in module.CUES])}"]
    reasons = getattr(module, "REASONS", {})
    if reasons:
        out += ["", "`healthlint explain --trace` 的说明 · what `explain --trace` says:", ""]
        for texts in reasons.values():
            zh, en = (str(texts[lang]).format(cue="…") for lang in ("zh", "en"))
            out.append(f"- {_md(zh)} · {_md(en)}")
    return out


def _docstring(module: ModuleType) -> str:
    return inspect.cleandoc(module.__doc__ or "")


# --- helpers -----------------------------------------------------------------------------------


def _source(rule: Rule) -> str:
    return "rules/" + Path(rule.path).resolve().relative_to(default_rules_dir()).as_posix()


def _own(rule: Rule) -> Mapping[str, Any]:
    data = yaml.safe_load(Path(rule.path).read_text(encoding="utf-8")) or {}
    if "kind" in data:
        return data
    return next((r for r in data.get("rules", []) if r.get("id") == rule.id), {})


def _raw(rule: Rule) -> Mapping[str, Any]:
    """The rule's options as written, its folder's defaults under its own."""
    defaults_path = Path(rule.path).parent / DEFAULTS_FILE
    defaults = {}
    if defaults_path.is_file():
        defaults = yaml.safe_load(defaults_path.read_text(encoding="utf-8")) or {}
    return {**defaults, **_own(rule)}


def _flat(text: str) -> str:
    return " ".join(text.split())


def _paragraphs(lines: list[str]) -> list[str]:
    out: list[str] = []
    for line in lines:
        out += [*([""] if out else []), line]
    return out


def _visible(text: str) -> str:
    """Invisible format characters (the zero-width spaces sellers hide in a word) shown."""
    return "".join(f"[U+{ord(c):04X}]" if unicodedata.category(c) == "Cf" else c for c in text)


def _md(text: str) -> str:
    return _visible(text).translate(_MARKDOWN)


def _example(text: str) -> str:
    return _md(" ".join(text.splitlines()))


def _code(text: str) -> str:
    fence = "``" if "`" in text else "`"
    pad = " " if fence == "``" else ""
    return f"{fence}{pad}{_visible(text)}{pad}{fence}"


# --- command line ------------------------------------------------------------------------------


def stale_pages(out: Path, pages: Mapping[str, str]) -> list[Path]:
    """Pages on disk that differ from `pages`, are missing, or belong to no rule any more."""
    stale = [
        out / name
        for name, text in pages.items()
        if not (out / name).is_file() or (out / name).read_text(encoding="utf-8") != text
    ]
    if out.is_dir():
        stale += sorted(p for p in out.glob("*.md") if p.name not in pages)
    return stale


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help="folder to write into")
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args(argv)
    pages = render_all()
    stale = stale_pages(args.out, pages)
    if args.check:
        for path in stale:
            sys.stderr.write(f"{path}: out of date; run {REBUILD}\n")
        return 1 if stale else 0
    args.out.mkdir(parents=True, exist_ok=True)
    for path in stale:
        if path.name in pages:
            path.write_bytes(pages[path.name].encode("utf-8"))
        else:
            path.unlink()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
