"""The records every stage after matching shares: findings, severities and rule metadata.

A leaf module: formatters, fixes and front ends read these types without importing the engine.
"""

from __future__ import annotations

import enum
from dataclasses import asdict, dataclass
from typing import Any

CATEGORIES = (
    "overclaim",
    "unsupported-statistic",
    "share-solicitation",
    "commercial-contact",
    "missing-disclaimer",
    "endorsement",
    "fear-appeal",
)
"""The seven finding categories of TAXONOMY.md: a public contract."""


class Severity(str, enum.Enum):
    """Ordered severities; a `str` so findings serialise as plain text."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _RANK[self]

    def raised(self) -> Severity:
        """One level up, capped at error (REGULATIONS.md §4)."""
        return _ORDER[min(self.rank + 1, len(_ORDER) - 1)]


_ORDER = (Severity.INFO, Severity.WARNING, Severity.ERROR)
_RANK = {s: i for i, s in enumerate(_ORDER)}


@dataclass(frozen=True, slots=True)
class ImageSpot:
    """Where in an image a finding is: the image file, the box of its characters in pixels
    (left, top, right, bottom; right and bottom exclusive), the recognised text of the line
    the finding is on, and for a scannable code its decoded content."""

    path: str
    box: tuple[int, int, int, int]
    line: str = ""
    code: str | None = None


@dataclass(frozen=True, slots=True)
class ImageSummary:
    """What was read from one image of a linted input: its recognised text as linted (what
    its findings' offsets count in), text lines kept, lines left unlinted because the
    recogniser was unsure of them (below `min_confidence`), and codes found."""

    path: str
    text: str
    lines: int
    low_confidence: int
    codes: int
    min_confidence: float


@dataclass(frozen=True, slots=True)  # slots: a huge text can hold millions
class Finding:
    """One problem at exact characters of the text given.

    `start`/`end` are 0-based `str` offsets (end exclusive); `line`/`column` and
    `end_line`/`end_column` are 1-based and count characters, `end_column` pointing at the
    last flagged character. `text` is exactly `source[start:end]`.

    A finding in an image (`image` set) counts its offsets in the image's recognised text,
    read in reading order and joined into sentences; a finding on a scannable code has no
    text (start = end = 0) and names the code's content in `image.code`.
    """

    rule: str
    category: str
    severity: str
    message: str
    start: int
    end: int
    line: int
    column: int
    end_line: int
    end_column: int
    text: str
    suggestion: str | None = None
    basis: str | None = None
    register: str | None = None  # promotional, advertorial, informational or unmarked
    image: ImageSpot | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def sort_key(self) -> tuple[int, int, str]:
        return (self.start, self.end, self.rule)


@dataclass(frozen=True)
class Result:
    """Everything one lint learns about a text: its findings, and what kind of text it is.

    `register` is "promotional" when the text promotes a product or provider of its own (a
    price, an order path, a contact, 本品/这款/我院, a registration mark, ad-copy voice),
    "informational" when it explains (research, advice relayed, citations, news),
    "advertorial" when it explains but names products for sale, "unmarked" when it shows
    none of these; `product_types` are what a text that is not informational sells
    (food, health-food, special-medical-food, drug, device, cosmetic, medical-service), most
    mentioned first; `promotional` the source spans of its promotional paragraphs."""

    findings: list[Finding]
    register: str
    product_types: tuple[str, ...]
    promotional: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Fix:
    """A rule's `fix:` as the loader parsed it: `delete` is an empty `replacement`."""

    replacement: str

    @property
    def deletes(self) -> bool:
        return not self.replacement


@dataclass(frozen=True)
class RuleInfo:
    """A rule's metadata as API users and formatters see it, in the configured language."""

    id: str
    kind: str
    category: str
    severity: str
    message: str
    basis: str
    suggestion: str | None
    description: str | None
    fix: Fix | None
    bad_examples: tuple[str, ...]
    good_examples: tuple[str, ...]
    path: str


@dataclass(frozen=True)
class Candidate:
    """A hit a rule's matcher yielded, as the finding it would be, with each context filter's
    verdict on it: (filter, None when it keeps the hit, else why it drops it). For
    `explain --trace`: why a phrase is, or is not, a finding."""

    finding: Finding
    verdicts: tuple[tuple[str, str | None], ...]
    suppressed: bool = False
    #: the rule whose finding of the same category covers the same characters, if any
    covered_by: str | None = None

    @property
    def passed(self) -> bool:
        """No context filter dropped it: the rule itself reports it."""
        return all(why is None for _, why in self.verdicts)

    @property
    def kept(self) -> bool:
        """It is one of the text's findings."""
        return self.passed and not self.suppressed and self.covered_by is None
