"""Source text → Document: what the linter reads, with exact positions back to the source."""

from healthlint.document.model import FORMATS, Document, format_for_path

__all__ = ["FORMATS", "Document", "format_for_path"]
