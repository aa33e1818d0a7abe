"""Where healthlint's documentation lives, for links in reports (SARIF `helpUri`, GitLab,
rule help): the repository, each rule's page (`docs/rules/<rule-id>.md`, generated from the
rule files) and the categories contract (`docs/categories.md`)."""

from __future__ import annotations

REPOSITORY = "https://github.com/healthlint/healthlint"
DOCS = f"{REPOSITORY}/blob/main/docs"
CATEGORIES_DOC = f"{DOCS}/categories.md"


def rule_url(rule_id: str) -> str:
    """The page of one rule."""
    return f"{DOCS}/rules/{rule_id}.md"


def category_url(category: str) -> str:
    """The category's section of the categories contract."""
    return f"{CATEGORIES_DOC}#{category}"
