"""The OpenAPI 3.1 description of the JSON API, written by hand.

Written rather than generated so that it states the contract — field meanings, the stable
error codes — instead of whatever the code happens to return. The tests validate it against
the OpenAPI specification and validate real responses against its schemas, so the two cannot
drift apart unnoticed.
"""

from __future__ import annotations

import copy
from typing import Any

from healthlint import CATEGORIES, __version__

ERROR_CODES = (
    "invalid_json",
    "invalid_request",
    "invalid_format",
    "invalid_options",
    "invalid_host",
    "undecodable_input",
    "unsupported_media_type",
    "payload_too_large",
    "request_timeout",
    "timeout",
    "not_found",
    "method_not_allowed",
    "internal_error",
)
SEVERITIES = ("error", "warning", "info")
VERDICTS = ("pass", "review", "reject")
FORMATS = ("auto", "text", "markdown", "html")

_OPTIONS = {
    "type": "object",
    "description": (
        "Configuration keys, with the meaning and validation they have in .healthlint.yaml. "
        "Each key given replaces the server's value for this request."
    ),
    "additionalProperties": False,
    "properties": {
        "select": {"type": "array", "items": {"type": "string"}},
        "ignore": {"type": "array", "items": {"type": "string"}},
        "severity": {
            "type": "object",
            "additionalProperties": {"enum": list(SEVERITIES)},
        },
        "allow": {"type": "array", "items": {"type": "string"}},
        "language": {"enum": ["zh", "en"]},
        "verdict": {
            "type": "object",
            "properties": {
                "weights": {"type": "object", "additionalProperties": {"type": "number"}},
                "categories": {"type": "object", "additionalProperties": {"type": "number"}},
                "review": {"type": "number"},
                "reject": {"type": "number"},
            },
            "additionalProperties": False,
        },
    },
}

_FINDING = {
    "type": "object",
    "description": "One finding, exactly as `healthlint --format json` writes it.",
    "required": [
        "path",
        "rule",
        "category",
        "severity",
        "message",
        "start",
        "end",
        "line",
        "column",
        "end_line",
        "end_column",
        "text",
        "suggestion",
        "basis",
    ],
    "additionalProperties": False,
    "properties": {
        "path": {"type": "string"},
        "rule": {"type": "string"},
        "category": {"enum": list(CATEGORIES)},
        "severity": {"enum": list(SEVERITIES)},
        "message": {"type": "string"},
        "start": {"type": "integer", "minimum": 0, "description": "0-based code-point offset"},
        "end": {"type": "integer", "minimum": 0, "description": "exclusive code-point offset"},
        "line": {"type": "integer", "minimum": 1},
        "column": {"type": "integer", "minimum": 1},
        "end_line": {"type": "integer", "minimum": 1},
        "end_column": {"type": "integer", "minimum": 0, "description": "0: a code, no text"},
        "text": {"type": "string", "description": "exactly text[start:end]"},
        "suggestion": {"type": ["string", "null"]},
        "basis": {"type": ["string", "null"]},
        "register": {
            "enum": ["promotional", "advertorial", "informational", "unmarked", None],
            "description": "whether the finding's paragraph promotes something",
        },
        "image": {
            "description": "where in a picture the finding is (null for text): offsets then "
            "count in the picture's recognised text",
            "oneOf": [
                {"type": "null"},
                {
                    "type": "object",
                    "required": ["path", "box", "line", "code"],
                    "additionalProperties": False,
                    "properties": {
                        "path": {"type": "string"},
                        "box": {
                            "type": "array",
                            "items": {"type": "integer", "minimum": 0},
                            "minItems": 4,
                            "maxItems": 4,
                            "description": "pixels: left, top, right, bottom (exclusive)",
                        },
                        "line": {"type": "string", "description": "the recognised line"},
                        "code": {
                            "type": ["string", "null"],
                            "description": "a scannable code's decoded content",
                        },
                    },
                },
            ],
        },
    },
}

_LINT_RESPONSE = {
    "type": "object",
    "required": [
        "findings",
        "verdict",
        "score",
        "path",
        "format",
        "language",
        "utf16_spans",
        "timed_out_rules",
    ],
    "additionalProperties": False,
    "properties": {
        "findings": {"type": "array", "items": {"$ref": "#/components/schemas/Finding"}},
        "verdict": {"enum": list(VERDICTS)},
        "score": {"type": "number", "minimum": 0},
        "path": {"type": "string"},
        "format": {"enum": list(FORMATS[1:])},
        "language": {"enum": ["zh", "en"]},
        "utf16_spans": {
            "type": "array",
            "description": (
                "For each finding, in order, [start, end] counted in UTF-16 code units: the "
                "offsets a JavaScript string (or Java, C#) indexes."
            ),
            "items": {
                "type": "array",
                "prefixItems": [{"type": "integer"}, {"type": "integer"}],
                "minItems": 2,
                "maxItems": 2,
            },
        },
        "timed_out_rules": {
            "type": "array",
            "items": {"type": "string"},
            "description": "Rules whose regex hit its time limit on this text (findings may "
            "be incomplete); normally empty.",
        },
        "text": {"type": "string", "description": "The decoded text (file uploads only)."},
        "encoding": {"type": "string", "description": "The detected encoding (uploads only)."},
        "fixed": {
            "type": "object",
            "description": "With fix=true: the text with every safe fix applied.",
            "required": ["text", "applied"],
            "additionalProperties": False,
            "properties": {
                "text": {"type": "string"},
                "applied": {"type": "integer", "minimum": 0},
            },
        },
    },
}

_RULE = {
    "type": "object",
    "required": ["id", "kind", "category", "severity", "message", "basis", "fix"],
    "properties": {
        "id": {"type": "string"},
        "kind": {"type": "string"},
        "category": {"enum": list(CATEGORIES)},
        "severity": {"enum": list(SEVERITIES)},
        "message": {"type": "string"},
        "basis": {"type": "string"},
        "suggestion": {"type": ["string", "null"]},
        "description": {"type": ["string", "null"]},
        "fix": {
            "description": "null, 'delete', or {replace: text}",
            "oneOf": [
                {"type": "null"},
                {"const": "delete"},
                {
                    "type": "object",
                    "required": ["replace"],
                    "properties": {"replace": {"type": "string"}},
                },
            ],
        },
        "bad_examples": {"type": "array", "items": {"type": "string"}},
        "good_examples": {"type": "array", "items": {"type": "string"}},
        "docs_url": {"type": "string"},
    },
}

_ERROR = {
    "type": "object",
    "required": ["error"],
    "additionalProperties": False,
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "additionalProperties": False,
            "properties": {
                "code": {"enum": list(ERROR_CODES)},
                "message": {"type": "string"},
            },
        }
    },
}


def _error_response(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def openapi_spec() -> dict[str, Any]:
    """The OpenAPI document served at ``/openapi.json`` (a new dict on every call, so no
    caller can change the module's schemas)."""
    return copy.deepcopy(_spec())


def _spec() -> dict[str, Any]:
    lint_json = {
        "type": "object",
        "required": ["text"],
        "additionalProperties": False,
        "properties": {
            "text": {"type": "string"},
            "format": {"enum": list(FORMATS), "default": "auto"},
            "path": {
                "type": "string",
                "description": "The name findings carry, as --stdin-filename; its extension "
                "chooses the format when format is auto. Default '-'.",
            },
            "options": {"$ref": "#/components/schemas/Options"},
            "fix": {"type": "boolean", "default": False},
        },
    }
    lint_form = {
        "type": "object",
        "required": ["file"],
        "properties": {
            "file": {
                "type": "string",
                "contentMediaType": "application/octet-stream",
                "description": "UTF-8 (with or without BOM), UTF-16/32 with BOM, GB18030 or "
                "Big5, detected as the command line detects it.",
            },
            "format": {"enum": list(FORMATS)},
            "path": {"type": "string"},
            "options": {"type": "string", "description": "Options as a JSON object."},
            "fix": {"enum": ["true", "false"]},
        },
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "healthlint",
            "version": __version__,
            "description": (
                "Compliance lint for Chinese health content. The submitted text is kept in "
                "memory for the request only: never logged, cached or written to disk."
            ),
        },
        "paths": {
            "/v1/lint": {
                "post": {
                    "operationId": "lint",
                    "summary": "Lint one document",
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {"schema": lint_json},
                            "multipart/form-data": {"schema": lint_form},
                        },
                    },
                    "responses": {
                        "200": {
                            "description": "The findings, verdict and score",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/LintResponse"}
                                }
                            },
                        },
                        "400": _error_response("A malformed request"),
                        "408": _error_response("The body was not received in time"),
                        "413": _error_response("The body is larger than the server allows"),
                        "415": _error_response("Neither JSON nor multipart/form-data"),
                        "422": _error_response("Invalid options, or an undecodable file"),
                        "503": _error_response("Linting did not finish in time"),
                    },
                }
            },
            "/v1/rules": {
                "get": {
                    "operationId": "rules",
                    "summary": "Every active rule's metadata",
                    "parameters": [
                        {
                            "name": "language",
                            "in": "query",
                            "required": False,
                            "schema": {"enum": ["zh", "en"]},
                        }
                    ],
                    "responses": {
                        "200": {
                            "description": "The rules",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "required": ["rules", "categories", "language"],
                                        "properties": {
                                            "rules": {
                                                "type": "array",
                                                "items": {"$ref": "#/components/schemas/Rule"},
                                            },
                                            "categories": {
                                                "type": "array",
                                                "items": {"enum": list(CATEGORIES)},
                                            },
                                            "language": {"enum": ["zh", "en"]},
                                        },
                                    }
                                }
                            },
                        },
                        "422": _error_response("An unknown language"),
                    },
                }
            },
            "/healthz": {
                "get": {
                    "operationId": "health",
                    "summary": "Liveness",
                    "responses": {
                        "200": {
                            "description": "The server is up",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "required": ["status", "version"],
                                        "properties": {
                                            "status": {"const": "ok"},
                                            "version": {"type": "string"},
                                        },
                                    }
                                }
                            },
                        }
                    },
                }
            },
        },
        "components": {
            "schemas": {
                "Options": _OPTIONS,
                "Finding": _FINDING,
                "LintResponse": _LINT_RESPONSE,
                "Rule": _RULE,
                "Error": _ERROR,
            }
        },
    }
