"""kind: code — a scannable code in a picture is itself a contact prompt.

A QR code or a WeChat mini-program code on a poster or in an article's image leads the
reader to a seller's WeChat, shop, group or page whatever the text beside it says, so the
image stage reports each code a picture holds (`healthlint.images`). There is nothing to find
in text: `check` yields nothing and `triggers` is empty, so the engine never asks. The rule
decides from the code's kind and its decoded content (`reports`), which `except_targets`
may clear: a code that opens a regulator's verification page is no funnel.

Examples of this kind are codes, written `kind` or `kind: content` (`qr: weixin://…`,
`miniprogram`), and tested through `Linter.code_findings`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from healthlint.kinds.base import Compiler, Kind, Option
from healthlint.matching.analysis import Analysis
from healthlint.matching.prefilter import Prefilters

#: The codes the image reader finds (healthlint.images.Code.kind).
CODE_KINDS = ("qr", "miniprogram")

OPTIONS = {
    "codes": Option(list, list(CODE_KINDS), "the codes reported", items=str, choices=CODE_KINDS),
    "except_targets": Option(
        list,
        [],
        "regexes: a decoded code whose content one of them finds is not reported",
        items=str,
    ),
}


class Code(Kind):
    name = "code"
    options = OPTIONS
    filters = ()  # no text, so no linguistic context

    def __init__(self, options: Mapping[str, Any], compiler: Compiler) -> None:
        self.codes = frozenset(options["codes"])
        self.except_targets = tuple(compiler.regex(p) for p in options["except_targets"])

    def check(self, analysis: Analysis) -> Iterator[tuple[int, int]]:
        return iter(())

    def triggers(self, prefilters: Prefilters) -> frozenset[str] | None:
        return frozenset()

    def reports(self, kind: str, content: str | None) -> bool:
        """Whether a code of `kind` holding `content` (None: not decoded) is a finding."""
        if kind not in self.codes:
            return False
        return content is None or not any(p.search(content) for p in self.except_targets)


def parse_example(example: str) -> tuple[str, str | None]:
    """A code example as (kind, content): `qr: https://…` or a bare `miniprogram`."""
    kind, _, content = example.partition(":")
    return kind.strip(), content.strip() or None
