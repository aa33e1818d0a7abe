"""The rule kinds: the single registry. A new kind is one module here and one line below."""

from healthlint.kinds.base import Kind
from healthlint.kinds.claim import Claim
from healthlint.kinds.code import Code
from healthlint.kinds.contrast import Contrast
from healthlint.kinds.disclaimer import Disclaimer
from healthlint.kinds.pattern import Pattern
from healthlint.kinds.statistic import Statistic
from healthlint.kinds.term import Term

KINDS: dict[str, type[Kind]] = {
    k.name: k for k in (Term, Pattern, Claim, Contrast, Statistic, Disclaimer, Code)
}

__all__ = ["KINDS", "Kind"]
