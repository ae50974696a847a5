"""Benchmark: build and render a week's digest for 10,000 shared posts.

Run from the repo root:  .venv/bin/python benchmarks/bench_digest.py
Prints the best-of-N wall time and the peak traced memory of one run.
"""

from __future__ import annotations

import random
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.share.posts import SharedPost  # noqa: E402
from bot.share.ranking import build_digest  # noqa: E402
from bot.share.views import render_digest  # noqa: E402

POSTS = 10_000
MEMBERS = 3_000
RUNS = 5
SEED = 20240601
WORDS = ["fastai", "learner", "bears", "SGD", "notebook", "MNIST", "&amp;", "<@U00000042>", "<https://fast.ai/x|docs>"]
EMOJI = ["tada", "fire", "heart", "eyes", "100", "raised_hands"]


def synthetic_posts(rnd: random.Random) -> list[SharedPost]:
    members = [f"U{i:08d}" for i in range(MEMBERS)]
    week_start = 1_700_000_000
    posts = []
    for i in range(POSTS):
        reactions = {
            emoji: frozenset(rnd.sample(members, rnd.randrange(12)))
            for emoji in rnd.sample(EMOJI, rnd.randrange(len(EMOJI)))
        }
        posts.append(
            SharedPost(
                ts=f"{week_start + rnd.randrange(7 * 86_400)}.{rnd.randrange(1_000_000):06d}",
                user_id=rnd.choice(members),
                text=" ".join(rnd.choice(WORDS) for _ in range(rnd.randrange(5, 60))),
                title=None if rnd.random() < 0.7 else f"Post {i}",
                permalink=f"https://study.slack.com/archives/C0SHARE/p{week_start}{i:06d}",
                reply_user_ids=tuple(rnd.choice(members) for _ in range(rnd.randrange(10))),
                reactions=reactions,
                deleted=rnd.random() < 0.01,
            )
        )
    return posts


def run_once(posts: list[SharedPost], earlier: set[str]) -> list[dict]:
    return render_digest(build_digest(12, posts, earlier), "fastai book club")


def main() -> None:
    rnd = random.Random(SEED)
    posts = synthetic_posts(rnd)
    earlier = {f"U{i:08d}" for i in range(0, MEMBERS, 2)}

    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        messages = run_once(posts, earlier)
        timings.append(time.perf_counter() - started)

    tracemalloc.start()
    run_once(posts, earlier)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    blocks = sum(len(message["blocks"]) for message in messages)
    print(f"posts: {POSTS:,}  messages: {len(messages)}  blocks: {blocks}")
    print(f"build_digest + render_digest: best {min(timings) * 1000:.1f} ms, "
          f"median {sorted(timings)[RUNS // 2] * 1000:.1f} ms over {RUNS} runs")
    print(f"peak traced memory (one run): {peak / 1_048_576:.2f} MiB")


if __name__ == "__main__":
    main()
