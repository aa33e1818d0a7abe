"""Plain text: everything is prose, except healthlint's own directive comments."""

from __future__ import annotations

import re

from healthlint.document.model import Masked, blank

DIRECTIVE = re.compile(r"<!--\s*healthlint-[\s\S]*?-->")


def mask(text: str) -> Masked:
    """Blank `<!-- healthlint-… -->` directives so they are never linted as prose."""
    if "healthlint-" not in text:
        return Masked(text)
    return Masked(blank(text, (m.span() for m in DIRECTIVE.finditer(text))))
