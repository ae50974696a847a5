"""The App Home tab: where a member lands when they open the bot.

A member sees their cohort's week — the chapter and its notebooks, the live
session — their questionnaire progress with this week's next question, and
their study group. A newcomer sees the welcome, how to start, and what the
workspace's cohorts are reading. Nothing here calls Slack.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.blocks import (
    MAX_SECTION_TEXT,
    MAX_VIEW_BLOCKS,
    Block,
    context,
    counted,
    divider,
    escape_mrkdwn,
    header,
    link,
    pack_lines,
    section,
    shorten_mrkdwn,
    shorten_plain,
    slack_date,
)
from bot.home.dashboard import (
    ChapterLinks,
    CohortHome,
    Home,
    MyGroup,
    QuestionnaireView,
    WeekView,
)

BAR_CELLS = 10
LINKS_ON_ONE_LINE = 1500  # longer (very long URLs): one link a line, so every line fits a section
WELCOME = ("One chapter a week, together. Read the chapter, try what it teaches, answer the questionnaire, "
           "and share what you build.")
MAX_LINK = 1000
RETRY = "reopen this tab in a minute to try again"


def render_home(command: str, home: Home | None = None) -> dict[str, Any]:
    """The Home view for what `bot.home.gather_home` found (None: just the welcome)."""
    if home is not None and home.member and home.cohorts:
        blocks = _member_blocks(command, home)
    else:
        blocks = _welcome_blocks(command, home)
    return {"type": "home", "blocks": blocks[:MAX_VIEW_BLOCKS]}


# --- a newcomer -----------------------------------------------------------------------


def _welcome_blocks(command: str, home: Home | None) -> list[Block]:
    cohorts = home.cohorts if home else []
    blocks: list[Block] = [header("Welcome to the study group"), section(WELCOME)]
    where = ""
    if len(cohorts) == 1:
        where = f" in <#{cohorts[0].channel_id}>"
    elif cohorts:
        where = " in your cohort's channel"
    blocks.append(section("\n".join([
        f"*How to start* — type these{where}:",
        f"• `{command} join` — join a small study group of people in time zones near yours",
        f"• `{command} progress` — your questionnaire progress, and this week's next question",
        f"• `{command} share` — share something you made: code, an app, a blog post, a question",
    ])))
    if home is not None and home.unavailable:
        blocks.append(context(f"I couldn't load this week's reading just now — {RETRY}."))
    elif home is not None and not cohorts:
        blocks.append(context("No cohort is running here yet — an organizer starts one, and this page will"
                              " show its weekly chapter."))
    for cohort in cohorts:
        blocks.append(divider())
        lines = [f"*{escape_mrkdwn(cohort.name)}* in <#{cohort.channel_id}>{_week_label(cohort.week)}"]
        if cohort.week is not None:
            lines += _week_lines(cohort.week, member=False)
        else:
            lines.append(f"_This week's reading couldn't be loaded — {RETRY}._")
        blocks += _sections(lines)
    if home is not None and home.more_cohorts:
        blocks.append(context(f"…and {counted(home.more_cohorts, 'more cohort')}."))
    blocks.append(context(f"`{command} help` lists everything I can do."))
    return blocks


def _week_label(week: WeekView | None) -> str:
    if week is None:
        return ""
    if week.phase == "open":
        return f" · week {week.number} of {week.weeks}"
    return {"upcoming": " · starting soon", "break": " · a break week", "finished": " · finished"}.get(week.phase, "")


# --- a member -------------------------------------------------------------------------


def _member_blocks(command: str, home: Home) -> list[Block]:
    blocks: list[Block] = []
    for index, cohort in enumerate(home.cohorts):
        if index:
            blocks.append(divider())
        blocks += _cohort_blocks(command, cohort)
    if home.more_cohorts:
        blocks.append(context(f"You're in {counted(home.more_cohorts, 'more cohort')};"
                              f" `{command} progress` in a cohort's channel shows that one."))
    if home.calendar_hint:
        blocks.append(context(f":calendar: `{command} calendar` — {home.calendar_hint}"))
    blocks.append(context(
        f"`{command} progress` your record · `{command} done` mark a chapter done"
        f" · `{command} answers` everything you wrote, as Markdown"
        f" · `{command} share` show what you made · `{command} help` everything else"
    ))
    return blocks


def _cohort_blocks(command: str, cohort: CohortHome) -> list[Block]:
    week = cohort.week
    title = f"{cohort.name} · {_headline(week)}" if week is not None else cohort.name
    blocks: list[Block] = [header(title)]
    if cohort.welcome_back:
        blocks.append(section(_welcome_back(cohort)))
    if cohort.book is not None:
        blocks.append(context(f":books: Reading {link(cohort.book[1], cohort.book[0])}"))
    if week is not None:
        blocks += _sections(_week_lines(week, member=True, command=command, session=not cohort.live_session))
        blocks += list(cohort.live_session)
        if week.phase == "open" and week.closes_at is not None:
            blocks.append(context(f"Week {week.number} runs until {slack_date(week.closes_at)}."
                                  " Times are shown in your time zone."))
    else:
        blocks.append(section(f"_This week's reading couldn't be loaded — {RETRY}._"))
    if cohort.recording:
        blocks += [*cohort.recording, context(f"`{command} recordings` lists every session's recording")]
    blocks += _questionnaire_blocks(cohort)
    blocks += _group_blocks(command, cohort)
    blocks += cohort.commitment
    blocks += cohort.buddy  # the buddies' section (issue 24), drawn by their views
    if cohort.ask_button is not None:
        blocks.append({"type": "actions", "block_id": f"home_ask_{cohort.id}", "elements": [cohort.ask_button]})
    return blocks


def _headline(week: WeekView) -> str:
    if week.phase == "open":
        return f"Week {week.number} of {week.weeks}"
    return {"upcoming": "Starting soon", "break": "A break week", "finished": "All weeks done"}.get(week.phase, "")


def _welcome_back(cohort: CohortHome) -> str:
    questionnaire = cohort.questionnaire
    if questionnaire is not None and questionnaire.next_question is not None:
        start = "Your first question this week is just below."
    else:
        start = f"This week's questions come in <#{cohort.questions_channel_id}>."
    return (
        "*Welcome back* :wave: Good to see you. Missing a week is normal — most people who finish the book"
        " skipped one somewhere along the way. There's no need to catch up on everything first: start with"
        f" this week's chapter, and the earlier ones will keep. {start}"
    )


def _week_lines(week: WeekView, *, member: bool, command: str = "", session: bool = True) -> list[str]:
    """The chapter (with its notebooks) and the live session, as whole mrkdwn lines."""
    name = escape_mrkdwn(_chapter_text(week.chapter, week.number or week.next_number))
    if week.phase == "open":
        lines = [f"*This week: {name}*"]
    elif week.phase == "finished":
        lines = [f"*All {week.weeks} weeks are done* — well done for being part of it."]
        if member:
            lines.append(f"Your answers stay with you: `{command} answers` sends you everything you wrote.")
        return lines
    else:
        opens = slack_date(week.next_opens_at) if week.next_opens_at else "soon"
        lead = "This is a break week. " if week.phase == "break" else ""
        lines = [f"{lead}*Week {week.next_number} opens {opens}: {name}*"]
        if week.chapter is not None:
            lines.append("Want to read ahead? The chapter is here:")
    lines += _links(week.chapter)
    if week.session is not None and session:
        label = "Next live session" if week.phase == "open" and week.session_week != week.number else "Live session"
        lines.append(f":studio_microphone: *{label}*: {slack_date(week.session)}")
    return lines


def _chapter_text(chapter: ChapterLinks | None, number: int | None) -> str:
    if chapter is None:
        return f"Week {number}" if number else "This week"
    return shorten_plain(chapter.name, 150)


def _links(chapter: ChapterLinks | None) -> list[str]:
    shown = [item for item in (chapter.links if chapter else ()) if len(item) <= MAX_SECTION_TEXT]
    joined = "  ·  ".join(shown)
    if not shown:
        return []
    return [joined] if len(joined) <= LINKS_ON_ONE_LINE else shown


def _questionnaire_blocks(cohort: CohortHome) -> list[Block]:
    if "questionnaire" in cohort.unavailable:
        return [section(f"*Questionnaire* — your progress couldn't be loaded just now; {RETRY}.")]
    questionnaire = cohort.questionnaire
    if questionnaire is None:
        return []
    where = f"<#{cohort.questions_channel_id}>"
    current = questionnaire.this_week
    if not questionnaire.chapters:
        return [section(f"*Questionnaire* — no questions are out yet. They arrive in {where} once the first"
                        " week opens; answer each in its thread.")]
    lines = []
    accessory = None
    if current is not None:
        if cohort.welcome_back:  # nothing answered this week yet, by definition: no empty bar to greet them
            ready = f"{counted(current.total, 'question')} {'is' if current.total == 1 else 'are'}"
            lines.append(f"*Questionnaire* · this week's {ready} ready when you are")
        else:
            lines.append(f"*Questionnaire* · this week `{_bar(current.answered, current.total)}`"
                         f" *{current.answered} of {current.total}* answered")
        following = questionnaire.next_question
        if following is not None:
            label = f"Q{following.position} of {following.total}"
            named = link(following.permalink, label) if following.permalink else ""
            if not named or len(named) > MAX_LINK:  # a permalink is ~80 characters; never let one crowd the section
                named = f"{label} in <#{following.channel_id}>"
            text = shorten_mrkdwn(" ".join(following.question.split()), 300) or "_(no text)_"
            lines.append(f"Next up: {named} — {text}")
            lines.append("Reply in the question's thread, or answer privately.")
            accessory = following.answer_button
        elif current.total and current.answered >= current.total:
            lines.append("All done for this week — well done! :tada:")
        elif questionnaire.more_at is not None:
            lines.append(f"You're up to date — more questions come out {slack_date(questionnaire.more_at)}.")
        else:
            lines.append(f"You're up to date — the rest of this week's questions arrive in {where}.")
    elif cohort.week is not None and cohort.week.phase == "open":
        lines.append("*Questionnaire* — this week's chapter has no questions yet.")
    else:
        lines.append("*Questionnaire*")
    lines.append(_overall(questionnaire, cohort.welcome_back))
    if questionnaire.chapters_done:
        lines.append(questionnaire.chapters_done)
    block = section("\n".join(lines))  # a few short lines, each bounded: far below the section limit
    if accessory is not None:
        block["accessory"] = accessory
    return [block]


def _overall(questionnaire: QuestionnaireView, welcome_back: bool) -> str:
    chapters = f"{counted(questionnaire.chapters, 'chapter')}"
    if welcome_back:
        count = questionnaire.answered
        return (f"So far you've answered {counted(count, 'question')} — they're all kept, and"
                " every earlier chapter stays open for whenever you want it.")
    line = f"So far: *{questionnaire.answered} of {questionnaire.total}* questions across {chapters}"
    if questionnaire.complete:
        line += f" · {questionnaire.complete} complete :white_check_mark:"
    return line


def _bar(done: int, total: int) -> str:
    filled = round(BAR_CELLS * done / total) if total else 0
    return "▰" * filled + "▱" * (BAR_CELLS - filled)


def _group_blocks(command: str, cohort: CohortHome) -> list[Block]:
    if "group" in cohort.unavailable:
        return [section(f"*Study group* — couldn't be loaded just now; {RETRY}.")]
    group = cohort.group
    if group is None:
        return []
    block = section(_group_text(command, cohort, group))
    if group.preferences_button is not None:
        block["accessory"] = group.preferences_button
    return [block]


def _group_text(command: str, cohort: CohortHome, group: MyGroup) -> str:
    join = f"`{command} join` in <#{cohort.channel_id}>"
    if group.status == "grouped":
        where = f"<#{group.channel_id}>" if group.channel_id else (
            f"#{escape_mrkdwn(group.name or '')} (its channel is being set up)")
        people = f"{counted(group.members, 'member')}"
        return f"*Your study group:* {where} · {people}\nSay hello there, or plan this week's meeting."
    zone = f" ({escape_mrkdwn(group.zone)})" if group.zone else ""
    if group.status == "signed_up":
        when = f"are formed {slack_date(group.forms_at)}" if group.forms_at else "are being formed right now"
        return (f"*Study group* — you've joined{zone}. Groups {when}; you'll be invited to your group's"
                " private channel then.")
    if group.status == "waiting":
        return (f"*Study group* — you're on the waiting list{zone}: no group with room is near your time zone"
                " yet. A new group forms as soon as enough people near you join.")
    if group.status == "left":
        return f"*Study group* — you left your study group. {join} puts you in one again, any week."
    return f"*Study group* — meet each week with a few people in time zones near yours: {join}."


def _sections(lines: Sequence[str]) -> list[Block]:
    return [section(chunk) for chunk in pack_lines(lines)]
