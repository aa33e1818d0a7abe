"""What the language server and the web service share: cached Linters, options, one result.

Building a `Linter` costs tens of milliseconds (hundreds on a cold rules cache) while a lint
costs a few, so both servers keep one Linter per distinct configuration, in a small
least-recently-used cache owned by the server (not by this module: no global state), and
share it between threads (a Linter is immutable).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from healthlint import Config, ConfigError, Finding, Linter, RuleInfo
from healthlint.errors import RuleTimeoutError
from healthlint.frontends._internal import Verdict, apply_fixes, assess, fixes_of

#: Options a client may send over HTTP, with the meaning they have in `.healthlint.yaml`.
#: `rules_dirs` and `default_rules` would let a client make the server read folders of its
#: choosing; `exclude` and `fail_on` are about files and exit codes, which a request has not.
API_OPTIONS = ("select", "ignore", "severity", "allow", "language", "verdict")
DEFAULT_CACHE_SIZE = 16


def config_key(config: Config) -> str:
    """A string equal for equal configurations: what a Linter is cached under.

    `Config` holds dicts, so it is not hashable; its repr lists every field in order.
    """
    return repr(config)


class LinterCache:
    """At most `size` Linters, one per configuration, the least recently used dropped first.

    Thread-safe. Two threads asking for the same new configuration at once may both build a
    Linter; one of them is kept. That costs a little time once and never blocks a lint behind
    another configuration's build.
    """

    def __init__(self, size: int = DEFAULT_CACHE_SIZE) -> None:
        if size < 1:
            raise ValueError("the cache must hold at least one Linter")
        self.size = size
        self._lock = threading.Lock()
        self._linters: OrderedDict[str, Linter] = OrderedDict()

    def get(self, config: Config) -> Linter:
        """The Linter for `config`, built on first use. Raises `ConfigError` as `Linter` does
        (an unknown rule id in `select`, say)."""
        key = config_key(config)
        with self._lock:
            linter = self._linters.get(key)
            if linter is not None:
                self._linters.move_to_end(key)
                return linter
        linter = Linter(config)
        with self._lock:
            linter = self._linters.setdefault(key, linter)
            self._linters.move_to_end(key)
            while len(self._linters) > self.size:
                self._linters.popitem(last=False)
        return linter

    def clear(self) -> None:
        """Forget every Linter (a rule pack changed on disk)."""
        with self._lock:
            self._linters.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._linters)


def config_with_options(base: Config, options: Any) -> Config:
    """`base` with the request's `options` applied; each option given replaces its value.

    Options are validated exactly as the keys of a `.healthlint.yaml` are (same types, same
    messages), and only the keys in `API_OPTIONS` are accepted. Raises `ConfigError`.
    """
    if options is None:
        return base
    if not isinstance(options, Mapping):
        raise ConfigError("options must be an object of configuration keys")
    refused = sorted(k for k in options if k not in API_OPTIONS)
    if refused:
        raise ConfigError(
            f"option {refused[0]!r} is not accepted here (accepted: {', '.join(API_OPTIONS)})"
        )
    parsed = Config.from_mapping(dict(options))
    return base.with_options(**{key: getattr(parsed, key) for key in options})


@dataclass(frozen=True)
class Outcome:
    """One document's lint: its findings, the verdict, and rules that ran out of time.

    A rule whose regex hits its time limit is skipped for this text only; `timed_out` names
    it so that a client knows the findings may be incomplete (the command line says the same
    on standard error).
    """

    text: str
    findings: list[Finding]
    verdict: Verdict
    timed_out: tuple[str, ...] = ()
    fixed: str | None = None
    applied: Sequence[Finding] = field(default_factory=tuple)


def lint_document(linter: Linter, text: str, format: str, *, fix: bool = False) -> Outcome:
    """Lint `text` as `format`; with `fix`, also the text with every safe fix applied."""
    timed_out: tuple[str, ...] = ()
    try:
        findings = linter.lint(text, format=format)
    except RuleTimeoutError as exc:
        findings, timed_out = list(exc.findings), tuple(exc.rules)
    verdict = assess(findings, linter.config)
    if not fix:
        return Outcome(text, findings, verdict, timed_out)
    fixed, applied = apply_fixes(text, findings, fixes_of(linter.rules), format=format)
    return Outcome(text, findings, verdict, timed_out, fixed, tuple(applied))


def rule_record(rule: RuleInfo, docs_url: str | None = None) -> dict[str, Any]:
    """A rule's metadata as JSON. The rule pack's path on the server is left out."""
    record: dict[str, Any] = {
        "id": rule.id,
        "kind": rule.kind,
        "category": rule.category,
        "severity": rule.severity,
        "message": rule.message,
        "basis": rule.basis,
        "suggestion": rule.suggestion,
        "description": rule.description,
        "fix": None
        if rule.fix is None
        else "delete"
        if rule.fix.deletes
        else {"replace": rule.fix.replacement},
        "bad_examples": list(rule.bad_examples),
        "good_examples": list(rule.good_examples),
    }
    if docs_url is not None:
        record["docs_url"] = docs_url
    return record


def rule_docs_url(base: str, rule_id: str) -> str:
    """The link to a rule's page: `base` (a folder URL) joined with ``<rule-id>.md``."""
    return f"{base.rstrip('/')}/{rule_id}.md"


#: Where each rule's page lives, relative to the project's repository. The servers take a
#: different base from their command line (and the language server from its initialization
#: options), for a fork or a mirror.
DEFAULT_DOCS_BASE = "https://github.com/healthlint/healthlint/blob/main/docs/rules"
