"""Git URLs as people write them for ``--root``: ``URL[//subdir][#ref]``, which of them
this server fetches, and how they are shown (credentials hidden)."""

from __future__ import annotations

import re
from dataclasses import dataclass

SCHEMES = ("https://", "http://", "ssh://", "git://", "file://")
_SCP = re.compile(r"^[\w.-]+@[\w.-]+:(?!//)")
_USERINFO = re.compile(r"(?<=://)[^/@\s]+@")
# Branch, tag and commit names as people write them; never a leading "-" (an option).
_REF = re.compile(r"^(?!.*\.\.)\w[\w./+-]*$")


@dataclass(frozen=True, slots=True)
class GitSpec:
    url: str
    ref: str | None = None
    subdir: str | None = None

    @property
    def shown(self) -> str:
        """The spec as a person may see it: userinfo replaced by ``***``."""
        text = redact(self.url)
        if self.subdir:
            text += f"//{self.subdir}"
        return text + (f"#{self.ref}" if self.ref else "")


def is_git_url(text: str) -> bool:
    return text.startswith(SCHEMES) or bool(_SCP.match(text))


def parse(text: str) -> GitSpec:
    """``URL[//subdir][#ref]``: the subdir is the first ``//`` after the host part."""
    url, _, ref = text.partition("#")
    scheme_end = url.find("://") + 3 if "://" in url else 0
    # file:///srv/repo.git//sub: the path starts right after the scheme.
    start = url.find("/", scheme_end) if scheme_end else url.find(":") + 1
    cut = url.find("//", max(start, scheme_end))
    subdir = None
    if cut != -1:
        url, subdir = url[:cut], url[cut + 2 :].strip("/") or None
    return GitSpec(url, ref or None, subdir)


def redact(text: str) -> str:
    """Hide ``user:token@`` in URLs (``https://***@host/...``)."""
    return _USERINFO.sub("***@", text)


def refusal(spec: GitSpec) -> str | None:
    """Why a spec named by someone else's file is not fetched, or None when it may be.

    A URL or ref starting with ``-`` would reach git as an option (``--upload-pack=...``
    runs a command), and only the transports ``is_git_url`` knows are allowed.
    """
    if spec.url.startswith("-") or not is_git_url(spec.url):
        return f"'{redact(spec.url)}' is not a git URL this server fetches"
    if spec.ref is not None and not _REF.match(spec.ref):
        return f"'{spec.ref}' is not a branch, tag or commit name"
    return None
