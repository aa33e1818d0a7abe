"""The default output, for people: where, what, why, the line with the characters marked.

The quoted line is the one the finding's line number names, counted as the document model
counts lines (`\r\n`, `\n`, `\r`; a form feed or U+2028 does not end a line), and the carets
sit under the flagged characters by display width as `wcwidth` measures it: two columns for a
wide CJK character or an emoji sequence, none for a combining or zero-width character. Anything
that could act on the terminal is spelled out (`escape.printable`), carets included.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from healthlint.document.model import line_starts
from healthlint.formatters.base import Formatter, Report, box_text, unread_note
from healthlint.formatters.escape import printable

_COLORS = {"error": "31", "warning": "33", "info": "36", "dim": "2", "bold": "1"}
_WORDS = {
    "zh": {
        "error": "错误",
        "warning": "警告",
        "info": "提示",
        "suggestion": "建议:",
        "basis": "依据:",
        "clean": "{files} 个文件，未发现问题。",
        "summary": "{files} 个文件中有 {dirty} 个存在问题：{parts}。",
        "count": "{n} 个{label}",
        "join": "，",
    },
    "en": {
        "error": "errors",
        "warning": "warnings",
        "info": "notes",
        "suggestion": "suggestion:",
        "basis": "basis:",
        "clean": "{files} file(s), no problems found.",
        "summary": "{dirty} of {files} file(s) with problems: {parts}.",
        "count": "{n} {label}",
        "join": ", ",
    },
}
_CONTEXT = 30  # characters of the source line shown either side of a finding


class TextFormatter(Formatter):
    @property
    def words(self) -> dict[str, str]:
        return _WORDS[self.config.language if self.config else "zh"]

    def file(self, report: Report) -> None:
        source = report.source
        starts = line_starts(source) if report.findings else ()
        language = self.config.language if self.config else "zh"
        for f in report.findings:
            path = printable(report.path_of(f))
            on_code = f.image is not None and not f.image.line  # a code has no line
            place = path if on_code else f"{path}:{f.line}:{f.column}"
            where = self._paint("bold", place)
            severity = self._paint(f.severity, f.severity)
            self.stream.write(f"{where}: {severity} [{f.rule}] {printable(f.message)}\n")
            end = f.end_column if f.end_line == f.line else None
            if f.image is not None:  # the recognised line, then where it is in the picture
                if f.image.line:
                    self._quote(f.image.line, f.column, end)
                self.stream.write(f"    {self._paint('dim', printable(box_text(f, language)))}\n")
            elif 0 < f.line <= len(starts):
                self._quote(_line(source, starts, f.line), f.column, end)
            if f.suggestion:
                label = self._paint("dim", self.words["suggestion"])
                self.stream.write(f"    {label} {f.suggestion}\n")
            if f.basis:
                self.stream.write(f"    {self._paint('dim', self.words['basis'])} {f.basis}\n")
        for image in report.images:
            if image.low_confidence:
                self.stream.write(printable(unread_note(image, language)) + "\n")

    def finish(self, reports: Sequence[Report]) -> None:
        if self.quiet:
            return
        counts = Counter(f.severity for r in reports for f in r.findings)
        words = self.words
        if not counts:
            self.stream.write(words["clean"].format(files=len(reports)) + "\n")
            return
        order = ("error", "warning", "info")
        parts = words["join"].join(
            words["count"].format(n=counts[s], label=words[s]) for s in order if counts[s]
        )
        dirty = sum(1 for r in reports if r.findings)
        summary = words["summary"].format(files=len(reports), dirty=dirty, parts=parts)
        self.stream.write(f"\n{summary}\n")

    def _quote(self, line: str, column: int, end_column: int | None) -> None:
        """The source line around the finding and carets under the flagged characters.

        Chinese paragraphs are often one long line, so only `_CONTEXT` characters either side
        are shown.
        """
        end = end_column if end_column is not None else len(line)
        lo = max(column - 1 - _CONTEXT, 0)
        hi = min(end + _CONTEXT, len(line))
        head = "..." if lo else ""

        def part(a: int, b: int) -> str:
            # only the shown part is touched: a long line with many findings stays linear
            return printable(line[a:b].replace("\t", " "))

        before, flagged = part(lo, column - 1), part(column - 1, end)
        shown = head + before + flagged + part(end, hi) + ("..." if hi < len(line) else "")
        pad = _width(head + before)
        marks = max(_width(flagged), 1)
        self.stream.write(f"    {shown}\n    {' ' * pad}{self._paint('error', '^' * marks)}\n")

    def _paint(self, style: str, text: str) -> str:
        return f"\033[{_COLORS[style]}m{text}\033[0m" if self.color else text


def _line(source: str, starts: Sequence[int], number: int) -> str:
    """Line `number` (1-based) of `source` without its line break."""
    start = starts[number - 1]
    end = starts[number] if number < len(starts) else len(source)
    return source[start:end].rstrip("\r\n")


def _width(text: str) -> int:
    """Display columns of text already made printable; wcwidth is imported only by a run that
    quotes a finding."""
    import wcwidth

    width = wcwidth.wcswidth(text)
    return width if width >= 0 else sum(max(wcwidth.wcwidth(c), 0) for c in text)
