"""Composition at the edge: the Bolt app, the server, the scheduler and the `studybot` command.

The only package that imports `handlers/` and `schedules/`; the core never imports it.
"""
