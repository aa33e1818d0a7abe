"""The formatter protocol: `start`, one `file` call per linted file, `finish` (flake8's shape)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TextIO

from healthlint.config import Config
from healthlint.errors import HealthlintError
from healthlint.finding import Finding, ImageSummary, RuleInfo


@dataclass(frozen=True)
class Report:
    """The findings of one linted file, with the source text to quote from, what kind of
    text it is (`healthlint.finding.Result`) and the pictures read with it."""

    path: str
    source: str
    findings: Sequence[Finding]
    register: str = "unmarked"
    product_types: tuple[str, ...] = ()
    images: tuple[ImageSummary, ...] = ()

    def path_of(self, finding: Finding) -> str:
        """The file a finding is in: its picture's for a finding in one."""
        return finding.image.path if finding.image else self.path

    def text_of(self, finding: Finding) -> str:
        """The text a finding's offsets count in: a picture's recognised text for a finding
        in one, else the source."""
        if finding.image is None:
            return self.source
        return next((i.text for i in self.images if i.path == finding.image.path), "")


def box_text(finding: Finding, language: str = "zh") -> str:
    """Where in its picture a finding is, for people: the box in pixels, and for a code its
    content."""
    assert finding.image is not None
    left, top, right, bottom = finding.image.box
    box = f"({left}, {top})–({right}, {bottom})"
    if finding.image.line:  # characters it read, not a code
        return f"图片区域 {box} 像素" if language == "zh" else f"picture area {box} px"
    code = finding.image.code
    if language == "zh":
        return f"图片中的码 {box} 像素：" + (code if code is not None else "无法解码")
    return f"code in the picture at {box} px: " + (code if code is not None else "not decoded")


def unread_note(image: ImageSummary, language: str = "zh") -> str:
    """What a report says of a picture's lines read too unsurely to lint."""
    n, threshold = image.low_confidence, image.min_confidence
    if language == "zh":
        return f"{image.path}：{n} 行文字识别置信度低于 {threshold}，未检查。"
    return f"{image.path}: {n} line(s) recognised with confidence below {threshold}, not linted."


class Formatter:
    """Writes a run's output to `stream`; subclasses override what they need.

    `quiet`: findings only, no summary. `config`: the run's configuration, for formatters that
    report more than findings (the verdict of `report`). `rules` holds every rule of the run by
    the time `finish` is called (a run with configs of its own per folder meets more as it goes).
    """

    def __init__(
        self,
        stream: TextIO,
        *,
        rules: Sequence[RuleInfo] = (),
        color: bool = False,
        quiet: bool = False,
        config: Config | None = None,
    ) -> None:
        self.stream = stream
        self.rules = rules
        self.color = color
        self.quiet = quiet
        self.config = config or Config()

    def start(self) -> None:
        """Before the first file."""

    def file(self, report: Report) -> None:
        """After each file is linted, in input order."""

    def problem(self, error: HealthlintError) -> None:
        """An input that could not be linted (the command line also prints it on stderr)."""

    def finish(self, reports: Sequence[Report]) -> None:
        """After the last file; `reports` holds every file's report."""
