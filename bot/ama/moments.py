"""Moments in a recording: `12:34` or `1:02:03` as organizers type them, and a link to that moment.

YouTube (`youtube.com/watch?v=…`, `youtu.be/…`, `youtube.com/live/…`) gets a `t=754s` query parameter,
Vimeo a `#t=754s` fragment; other hosts get the link as it is, and the time written out ("at 12:34").
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from bot.errors import StudyError

LONGEST = 6 * 3600  # a session's recording is never longer
_MOMENT = re.compile(r"(?:(\d{1,2}):)?(\d{1,3}):(\d{2})")
YOUTUBE_HOSTS = frozenset({"youtube.com", "www.youtube.com", "m.youtube.com", "youtu.be", "www.youtu.be"})
VIMEO_HOSTS = frozenset({"vimeo.com", "www.vimeo.com", "player.vimeo.com"})


def parse_moment(text: str) -> int:
    """Seconds from `12:34` (minutes:seconds) or `1:02:03` (hours:minutes:seconds); StudyError otherwise."""
    typed = (text or "").strip()
    found = _MOMENT.fullmatch(typed)
    shown = typed[:20]
    if found is None:
        raise StudyError(f"`{shown}` is not a moment in the recording: write it as `12:34` or `1:02:03`."
                         " Nothing was changed.")
    hours, minutes, seconds = int(found[1] or 0), int(found[2]), int(found[3])
    if seconds >= 60 or (found[1] is not None and minutes >= 60):
        raise StudyError(f"`{shown}` is not a time: minutes and seconds go up to 59 (`12:34`, `1:02:03`)."
                         " Nothing was changed.")
    total = hours * 3600 + minutes * 60 + seconds
    if total > LONGEST:
        raise StudyError(f"`{shown}` is past the end of any session's recording (6 hours at most)."
                         " Nothing was changed.")
    return total


def moment_text(seconds: int) -> str:
    """754 → "12:34"; 3723 → "1:02:03"."""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


@dataclass(frozen=True)
class MomentLink:
    url: str
    exact: bool  # the link itself starts at the moment (else the time must be written out)


def moment_link(url: str, seconds: int) -> MomentLink:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if host in YOUTUBE_HOSTS:
        query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in ("t", "start")]
        query.append(("t", f"{seconds}s"))
        return MomentLink(urlunsplit(parts._replace(query=urlencode(query), fragment="")), True)
    if host in VIMEO_HOSTS:
        return MomentLink(urlunsplit(parts._replace(fragment=f"t={seconds}s")), True)
    return MomentLink(url, False)
