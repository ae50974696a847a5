"""Value types for posts shared in a cohort's share-your-work channel.

Conventions: ``text`` is Slack mrkdwn exactly as Slack delivered it (already
escaped, may contain ``<url|label>`` links and ``<@U…>`` mentions); ``title``
is plain text as the member typed it in the share form.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType


@dataclass(frozen=True)
class Engagement:
    """Who engaged with a post, the author excluded, and the resulting score (see `bot.share.ranking`)."""

    people: int
    reactions: int
    replies: int
    score: float


_NO_REACTIONS: Mapping[str, frozenset[str]] = MappingProxyType({})


@dataclass(frozen=True)
class SharedPost:
    """One top-level post in the share channel, with who engaged with it.

    ``reply_user_ids`` has one entry per reply (a person replying three times
    appears three times); ``reactions`` maps an emoji name to the people who
    reacted with it. A post read with ``counted`` (its engagement as counted in the
    database, `share_tallies`) comes without those two: the count stands for them.
    """

    ts: str
    user_id: str
    text: str
    title: str | None = None
    links: tuple[str, ...] = ()
    files: tuple[str, ...] = ()
    permalink: str | None = None
    reply_user_ids: tuple[str, ...] = ()
    reactions: Mapping[str, frozenset[str]] = field(default_factory=dict)
    deleted: bool = False
    counted: Engagement | None = None

    def __post_init__(self) -> None:
        # Freeze the reactions too, so a "frozen" post really cannot change
        # under a digest that is being built from it. (A digest makes 10,000 of
        # these: what is already frozen is kept as it is.)
        if self.reactions:
            frozen = {emoji: frozenset(users) for emoji, users in self.reactions.items()}
            object.__setattr__(self, "reactions", MappingProxyType(frozen))
        else:
            object.__setattr__(self, "reactions", _NO_REACTIONS)
        for name in ("links", "files", "reply_user_ids"):
            value = getattr(self, name)
            if type(value) is not tuple:
                object.__setattr__(self, name, tuple(value))


