"""Settings as study knows them: the remembered short-exam count, and the plain-words check of
what is typed into a settings field (issue 15, items 3 and 5)."""

from __future__ import annotations

from datetime import date

import pytest

from quizapp.study.settings import FieldError, Settings, read_field, setting_problem
from tests.factory import make_coach

TODAY = date(2026, 11, 23)


def test_the_short_exam_count_survives_choosing_full_and_back(tmp_path):
    coach = make_coach(tmp_path)
    coach.update_settings(exam_length="5")
    coach.update_settings(exam_length="full")
    again = make_coach(tmp_path, coach.bank, coach.clock)
    assert again.settings.exam_length == "full"
    assert again.settings.short_exam_length == 5


def test_the_short_exam_count_is_stored_apart_and_exam_length_keeps_its_format(tmp_path):
    coach = make_coach(tmp_path)
    coach.update_settings(exam_length="scored", short_exam_length=12)
    stored = coach.store.settings()
    assert stored["exam_length"] == "scored" and stored["short_exam_length"] == 12
    coach.update_settings(exam_length="7")
    assert coach.store.settings()["exam_length"] == "7"  # still a string of digits, as before


@pytest.mark.parametrize("value", [0, 201, "5", True, 2.5])
def test_a_bad_stored_short_exam_count_is_a_problem(value):
    assert setting_problem("short_exam_length", value) is not None


def test_a_bad_exam_date_is_explained_in_plain_words():
    with pytest.raises(ValueError) as caught:
        Settings(exam_date="next-friday").validated()
    assert "isoformat" not in str(caught.value) and "2027-01-31" in str(caught.value)


@pytest.mark.parametrize(
    ("name", "text", "value"),
    [
        ("new_cards_per_day", " 7 ", 7),
        ("desired_retention", "0.85", 0.85),
        ("exam_date", "", None),
        ("exam_date", "2026-11-23", "2026-11-23"),  # today is still ahead of the exam
        ("exam_date", "2027-01-31", "2027-01-31"),
        ("short_exam_length", "5", 5),
    ],
)
def test_good_field_values_are_read(name, text, value):
    assert read_field(name, text, TODAY) == value


@pytest.mark.parametrize(
    ("name", "text", "words"),
    [
        ("exam_date", "next-friday", "Use YYYY-MM-DD, e.g. 2027-01-31"),
        ("exam_date", "20270131", "Use YYYY-MM-DD"),
        ("exam_date", "2027-02-30", "Use YYYY-MM-DD"),
        ("exam_date", "2026-10-24", "That day has passed: use 2026-11-23 or later"),
        ("new_cards_per_day", "", "whole number from 0 to 1000"),
        ("new_cards_per_day", "1001", "whole number from 0 to 1000"),
        ("new_cards_per_day", "²", "whole number from 0 to 1000"),
        ("desired_retention", "5", "from 0.70 to 0.99"),
        ("desired_retention", "", "from 0.70 to 0.99"),
        ("short_exam_length", "0", "from 1 to 200"),
    ],
)
def test_bad_field_values_say_what_to_type(name, text, words):
    with pytest.raises(FieldError) as caught:
        read_field(name, text, TODAY)
    assert words in str(caught.value)
    assert "isoformat" not in str(caught.value) and "invalid literal" not in str(caught.value)
