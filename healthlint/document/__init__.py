"""Source text → Document: what the linter reads, with exact positions back to the source."""

from healthlint.document.model import Document

__all__ = ["Document"]
