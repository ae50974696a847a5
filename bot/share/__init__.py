"""Share-your-work: members' posts in the share channel, the share form, and the weekly digest.

posts.py (the value type) · store.py (posts, replies, reactions in the database) · following.py (live
events) · catchup.py (reading the channel after downtime) · form.py (checking the share form) ·
sharing.py (`/study share`: the modal, posting a submission) · ranking.py (pure: engagement score,
ranking, the digest's contents) · digest_timing.py (pure: when each week's digest is due, and the posts
it covers) · digest.py (the digest over the database, posted exactly once) · views.py (Block Kit and the
modal's ids).
"""
