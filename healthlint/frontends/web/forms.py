"""``multipart/form-data`` parsed in memory, never spooled to disk.

Starlette's own form parser spools an uploaded file larger than 1 MiB to a temporary file on
disk. The service promises never to write a submitted text anywhere, so it reads the (size
bounded) body itself and parses it here with python-multipart's streaming parser, keeping
every part in memory.
"""

from __future__ import annotations

from dataclasses import dataclass

from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header

MAX_PARTS = 16


class FormError(ValueError):
    """A body that is not well-formed ``multipart/form-data``."""


@dataclass(frozen=True)
class Part:
    """One form field: its name, the file name when it is an upload, and its bytes."""

    name: str
    filename: str | None
    data: bytes


def boundary_of(content_type: str) -> bytes:
    """The boundary of a ``multipart/form-data`` content type; FormError when missing."""
    kind, params = parse_options_header(content_type)
    if kind != b"multipart/form-data":
        raise FormError("not multipart/form-data")
    boundary = params.get(b"boundary")
    if not boundary:
        raise FormError("multipart/form-data without a boundary")
    return boundary


def parse_form(body: bytes, content_type: str) -> dict[str, Part]:
    """The parts of a form body by field name (the first of each name wins)."""
    boundary = boundary_of(content_type)
    parts: list[Part] = []
    headers: dict[bytes, bytes] = {}
    field = bytearray()
    value = bytearray()
    data = bytearray()

    def on_part_begin() -> None:
        headers.clear()
        data.clear()

    def on_header_field(chunk: bytes, start: int, end: int) -> None:
        field.extend(chunk[start:end])

    def on_header_value(chunk: bytes, start: int, end: int) -> None:
        value.extend(chunk[start:end])

    def on_header_end() -> None:
        headers[bytes(field).strip().lower()] = bytes(value).strip()
        field.clear()
        value.clear()

    def on_part_data(chunk: bytes, start: int, end: int) -> None:
        data.extend(chunk[start:end])

    def on_part_end() -> None:
        if len(parts) >= MAX_PARTS:
            raise FormError(f"more than {MAX_PARTS} form fields")
        disposition, options = parse_options_header(headers.get(b"content-disposition"))
        if disposition != b"form-data" or b"name" not in options:
            raise FormError("a form part without Content-Disposition: form-data; name=…")
        filename = options.get(b"filename")
        parts.append(
            Part(
                options[b"name"].decode("utf-8", "replace"),
                filename.decode("utf-8", "replace") if filename is not None else None,
                bytes(data),
            )
        )

    parser = MultipartParser(
        boundary,
        {
            "on_part_begin": on_part_begin,
            "on_header_field": on_header_field,
            "on_header_value": on_header_value,
            "on_header_end": on_header_end,
            "on_part_data": on_part_data,
            "on_part_end": on_part_end,
        },
    )
    try:
        parser.write(body)
        parser.finalize()
    except MultipartParseError as exc:
        raise FormError(f"malformed multipart body: {exc}") from None
    form: dict[str, Part] = {}
    for part in parts:
        form.setdefault(part.name, part)
    return form
