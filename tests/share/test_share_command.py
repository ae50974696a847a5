"""`/study share`: the modal, a submission with mistakes (kept as typed), then a good one posted and recorded."""
from __future__ import annotations

from sqlalchemy import func, select, update

from bot.models import Cohort
from bot.models.share import SharePost
from bot.share.digest import compose_digest
from bot.share.views import CHAPTER_BLOCK, LINK_BLOCK, NOTES_BLOCK, TITLE_BLOCK
from tests.harness import text_of
from tests.share.conftest import MAIN, SHARE, WEEK2_DIGEST, at, deliver, digest_posts


def state(title: str = "", link: str = "", notes: str = "", chapter: str | None = None) -> dict:
    values = {
        TITLE_BLOCK: {"share_title_input": {"type": "plain_text_input", "value": title}},
        LINK_BLOCK: {"share_link_input": {"type": "plain_text_input", "value": link}},
        NOTES_BLOCK: {"share_notes_input": {"type": "plain_text_input", "value": notes}},
    }
    option = {"text": {"type": "plain_text", "text": chapter}, "value": chapter} if chapter else None
    values[CHAPTER_BLOCK] = {"share_chapter_select": {"type": "static_select", "selected_option": option}}
    return values


async def open_modal(bot, emulator, user: str = "UA") -> dict:  # type: ignore[no-untyped-def]
    await bot.slash("share", user=user, channel=MAIN)
    call = await emulator.wait_for(lambda e: e.calls_to("views.open"))
    return call[-1].response["view"]


async def shared_posts(bot) -> list[SharePost]:  # type: ignore[no-untyped-def]
    async with bot.db.session() as session:
        return list(await session.scalars(select(SharePost)))


async def test_share_opens_the_modal_with_the_cohorts_chapters(bot, emulator, cohort):
    view = await open_modal(bot, emulator)
    assert view["callback_id"] == "share_submit" and view["type"] == "modal"
    chapter_select = next(block for block in view["blocks"] if block.get("block_id") == CHAPTER_BLOCK)
    options = chapter_select["element"]["options"]
    assert len(options) == 20 and options[0]["value"] == "1"
    assert emulator.calls_to("views.open")[0].args["trigger_id"].startswith("trigger-")


async def test_bad_input_gets_errors_on_the_modal_and_changes_nothing_then_a_good_one_is_shared(bot, emulator, cohort):
    bot.clock.set(at(11, 9))
    view = await open_modal(bot, emulator)
    bad = await bot.submit(view, state(title="", link="ftp://colab.research.google.com/x", notes="x" * 2001,
                                       chapter="99"), user="UA")
    body = bad.json()
    assert body["response_action"] == "errors"
    assert set(body["errors"]) == {TITLE_BLOCK, LINK_BLOCK, NOTES_BLOCK, CHAPTER_BLOCK}
    assert "https://" in body["errors"][LINK_BLOCK]
    assert emulator.posted(SHARE) == [] and await shared_posts(bot) == []

    good = await bot.submit(view, state(title="Bears <vs> grizzlies", link="https://colab.research.google.com/x",
                                        notes="Learned about fine_tune & data augmentation", chapter="2"), user="UA")
    assert good.status == 200 and not good.text
    [call] = emulator.posted(SHARE)
    assert "Shared by <@UA>" in text_of(call.args)
    assert "<https://colab.research.google.com/x|Bears &lt;vs&gt; grizzlies>" in text_of(call.args)
    assert "Chapter 2: From Model to Production" in text_of(call.args)
    assert "username" not in call.args and "icon_url" not in call.args
    [post] = await shared_posts(bot)
    assert (post.user_id, post.title, post.links, post.source, post.ts) == (
        "UA", "Bears <vs> grizzlies", ["https://colab.research.google.com/x"], "form", call.response["ts"])
    assert post.week == 2

    # Slack then tells us about the bot's own message: it must not become a second post, nor the bot's.
    await deliver(bot, [{"type": "message", "channel": SHARE, "bot_id": "BBOT00001", "user": "UBOT00001",
                         "text": call.args["text"], "ts": call.response["ts"]}])
    assert [(p.user_id, p.source) for p in await shared_posts(bot)] == [("UA", "form")]

    await bot.tick(at=WEEK2_DIGEST)  # the catch-up reads the bot's post back: still UA's, titled as typed
    async with bot.db.session() as session:
        digest = (await compose_digest(session, cohort, 2)).digest
    assert [(p.user_id, p.title) for p in digest.ranked] == [("UA", "Bears <vs> grizzlies")]
    assert "Bears &lt;vs&gt; grizzlies" in text_of(digest_posts(emulator)[0])


async def test_a_post_that_slack_refuses_keeps_the_modal_open_with_a_reason(bot, emulator, cohort):
    view = await open_modal(bot, emulator)
    emulator.fail_next("chat.postMessage", error="not_in_channel")
    reply = await bot.submit(view, state(title="Mine", link="https://example.com/nb"), user="UA")
    assert reply.json()["response_action"] == "errors"
    assert "invite me" in reply.json()["errors"][TITLE_BLOCK]
    assert await shared_posts(bot) == []
    again = await bot.submit(view, state(title="Mine", link="https://example.com/nb"), user="UA")
    assert again.status == 200 and not again.text
    assert len(await shared_posts(bot)) == 1


async def test_without_a_share_channel_share_says_so_and_opens_nothing(bot, emulator, cohort):
    async with bot.db.session() as session:
        await session.execute(update(Cohort).values(share_channel_id=None))
    await bot.slash("share", user="UA", channel=MAIN)
    reply = await bot.reply()
    assert reply["response_type"] == "ephemeral" and "no share channel" in reply["text"]
    assert emulator.calls_to("views.open") == []


async def test_share_is_listed_in_help(bot, cohort):
    await bot.slash("help", channel=MAIN)
    assert "/study share" in text_of(await bot.reply())
    async with bot.db.session() as session:
        assert await session.scalar(select(func.count()).select_from(SharePost)) == 0


async def test_a_slow_post_never_makes_the_ack_late_and_a_late_failure_reaches_the_member(bot, emulator, cohort,
                                                                                          monkeypatch):
    """Slack drops a view submission not acked within 3 s: past the budget the modal closes first."""
    from handlers.views import share as share_view

    monkeypatch.setattr(share_view, "ACK_BUDGET_SECONDS", 0.01)
    emulator.workspace.add_user("UA", "ada")
    view = await open_modal(bot, emulator)
    emulator.fail_next("chat.postMessage", error="not_in_channel", delay=0.2)
    reply = await bot.submit(view, state(title="My pets model", link="https://example.com/nb", notes="fine_tune"),
                             user="UA")
    assert reply.status == 200 and not reply.text  # acked (modal closed) before Slack answered
    dm = (await emulator.wait_for(lambda e: e.posted("UA")))[0]
    assert "couldn't post" in dm.args["text"]
    assert "My pets model" in text_of(dm.args) and "https://example.com/nb" in text_of(dm.args)
    assert await shared_posts(bot) == []


async def test_share_where_no_cohort_is_meant_gets_the_one_no_cohort_reply(bot, emulator, cohort):
    await bot.create_cohort("second", channel_id="C0SECOND01", share_channel_id="C0SHARE002")
    await bot.slash("share", user="UA", channel="C0ELSEWHERE")
    reply = await bot.reply()
    assert reply["response_type"] == "ephemeral" and "several cohorts (fastbook, second)" in reply["text"]
    assert "`/study share`" in reply["text"] and "Nothing was changed" in reply["text"]
    assert emulator.calls_to("views.open") == []


async def test_a_question_without_a_link_and_a_link_without_https_are_both_shared(bot, emulator, cohort):
    bot.clock.set(at(11, 9))
    view = await open_modal(bot, emulator)
    link_input = next(block for block in view["blocks"] if block.get("block_id") == LINK_BLOCK)
    assert link_input["optional"] is True
    question = await bot.submit(view, state(title="Stuck on DataBlock splitters",
                                            notes="Why does my valid set vanish?"), user="UA")
    assert question.status == 200 and not question.text
    second = dict(view, id="V2")
    kernel = await bot.submit(second, state(title="My kernel", link="kaggle.com/code/me/bears"), user="UB")
    assert kernel.status == 200 and not kernel.text
    first_post, second_post = emulator.posted(SHARE)
    assert "Stuck on DataBlock splitters" in text_of(first_post.args) and "<http" not in text_of(first_post.args)
    assert "<https://kaggle.com/code/me/bears|My kernel>" in text_of(second_post.args)
    posts = {post.user_id: post for post in await shared_posts(bot)}
    assert (posts["UA"].links, posts["UA"].title) == ([], "Stuck on DataBlock splitters")
    assert posts["UB"].links == ["https://kaggle.com/code/me/bears"]

    await bot.tick(at=WEEK2_DIGEST)
    assert "Stuck on DataBlock splitters" in text_of(digest_posts(emulator)[0])
