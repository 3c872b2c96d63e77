"""Size guards applied before any parser sees the bytes: overall size and zip bombs."""

from __future__ import annotations

import io
import zipfile

from crawler.documents.model import DocumentError

#: Largest total a DOCX/XLSX may unpack to.
MAX_UNPACKED = 200 * 2**20
#: A member this large (bytes) that compresses better than MAX_RATIO:1 is taken for a bomb.
BOMB_MEMBER = 10 * 2**20
MAX_RATIO = 200


def human_size(n: float) -> str:
    """``512.0 MB``, ``1.2 GB``: sizes as people read them in messages."""
    if n >= 2**30:
        return f"{n / 2**30:.1f} GB"
    return f"{n / 2**20:.1f} MB"


def check_size(data: bytes, name: str, max_bytes: int) -> None:
    """Refuse input larger than ``max_bytes``."""
    if len(data) > max_bytes:
        limit = f"{max_bytes / 2**20:g} MB" if max_bytes >= 2**20 else f"{max_bytes} bytes"
        size = human_size(len(data)) if len(data) >= 2**20 else f"{len(data)} bytes"
        raise DocumentError(name, f"file is {size}, over the {limit} limit")


def open_zip(data: bytes, name: str, kind: str) -> zipfile.ZipFile:
    """Open an Office Open XML package after checking it is complete and no zip bomb.

    Declared sizes are checked here; :func:`read_member` also caps what is really inflated,
    since a crafted archive can understate its sizes.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        raise DocumentError(name, f"damaged {kind}: not a complete zip archive") from None
    total = sum(info.file_size for info in infos)
    bomb = any(
        info.file_size > BOMB_MEMBER and info.file_size > MAX_RATIO * max(info.compress_size, 1)
        for info in infos
    )
    if total > MAX_UNPACKED or bomb:
        archive.close()
        raise DocumentError(name, f"{kind} expands to {human_size(total)}: refusing a possible zip bomb")
    return archive


def read_member(archive: zipfile.ZipFile, member: str, name: str, kind: str) -> bytes:
    """A member's bytes, inflating at most :data:`MAX_UNPACKED` whatever the header claims."""
    try:
        with archive.open(member) as stream:
            data = stream.read(MAX_UNPACKED + 1)
    except KeyError:
        raise DocumentError(name, f"damaged {kind}: {member} is missing") from None
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as e:
        raise DocumentError(name, f"damaged {kind}: {member} is unreadable ({e})") from None
    if len(data) > MAX_UNPACKED:
        raise DocumentError(
            name, f"{kind} expands to over {human_size(MAX_UNPACKED)}: refusing a possible zip bomb"
        )
    return data
