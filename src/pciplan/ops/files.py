"""Uploaded files are never served from a public URL: pages stream them through this, as attachments."""

from __future__ import annotations

import posixpath

from django.http import FileResponse, Http404


def attachment_response(fieldfile, filename: str | None = None) -> FileResponse:
    """Stream a stored file (any storage backend) as a download, never shown inline by the browser."""
    if not fieldfile:
        raise Http404
    try:
        handle = fieldfile.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404
    name = filename or posixpath.basename(fieldfile.name)
    response = FileResponse(handle, as_attachment=True, filename=name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
