"""Hand-made findings for unit tests of the modules that consume them."""

from __future__ import annotations

from healthlint.finding import Finding


def finding_at(
    source: str,
    flagged: str,
    *,
    rule: str = "cure-promise",
    category: str = "overclaim",
    severity: str = "error",
    occurrence: int = 0,
) -> Finding:
    """The Finding the engine would give for the `occurrence`-th `flagged` in `source`."""
    start = -1
    for _ in range(occurrence + 1):
        start = source.index(flagged, start + 1)
    end = start + len(flagged)
    line, column = _line_col(source, start)
    end_line, end_column = _line_col(source, end - 1)
    return Finding(
        rule=rule,
        category=category,
        severity=severity,
        message=f"{rule} message",
        start=start,
        end=end,
        line=line,
        column=column,
        end_line=end_line,
        end_column=end_column,
        text=flagged,
        suggestion=None,
        basis="《广告法》第九条",
    )


def _line_col(source: str, offset: int) -> tuple[int, int]:
    line_start = 0
    line = 1
    i = 0
    while i < offset:
        ch = source[i]
        if ch == "\r" and i + 1 < len(source) and source[i + 1] == "\n":
            i += 1
        if ch in "\r\n":
            line += 1
            line_start = i + 1
        i += 1
    return line, offset - line_start + 1
