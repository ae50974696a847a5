"""A local stand-in for the Slack Web API (and Socket Mode), for tests."""
from tests.emulator.server import SlackEmulator

__all__ = ["SlackEmulator"]
