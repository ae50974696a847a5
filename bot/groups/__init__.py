"""Time-zone study groups, split by use case.

Pure (no database, no Slack, no clock; zones are read by `bot.calendar.zones`): `circle` (offsets on the
24-hour circle), `partition` (the first split into groups), `placement` (late joiners, groups from the
waiting list, merge suggestions), `slots` (meeting times), `naming` (channel names).

Over the database and Slack: `records` (shared look-ups and `GroupsError`), `membership`
(signing up, preferences), `joining` (`/study join`), `formation` (forming a cohort's groups),
`provisioning` (channels, invitations, intros), `leaving`, `merging`, `status` (`/study group`),
`admin` (`/study admin groups`), `notices` (messages to organizers), `channels` (the Slack calls),
`group_activity` (messages per week, health, show). `views` builds every message and modal and owns their ids.
"""
