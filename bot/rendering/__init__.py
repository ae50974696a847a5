"""Block Kit rendering: functions that return messages and views; nothing here calls Slack."""
