"""The questionnaire's cohort channel, members and prompts, for chapters done."""
from tests.questionnaire.conftest import cohort_channel, members  # noqa: F401  (fixtures, re-exported)
