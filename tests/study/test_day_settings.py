"""The two settings of issue 15 items 9 and 10: when the next day starts (an hour, local time) and how
many due questions a day serves. Read from a field in plain words, checked when stored or imported."""

from __future__ import annotations

from datetime import date

import pytest

from quizapp.study.settings import FieldError, Settings, read_field, read_settings, setting_problem
from tests.factory import make_coach

TODAY = date(2026, 11, 23)


def test_the_defaults_are_4_am_and_50_question_reviews():
    assert Settings().next_day_starts_at == 4 and Settings().question_reviews_per_day == 50


@pytest.mark.parametrize(
    ("name", "text", "value"),
    [
        ("next_day_starts_at", "4", 4),
        ("next_day_starts_at", " 0 ", 0),
        ("next_day_starts_at", "23", 23),
        ("question_reviews_per_day", "50", 50),
        ("question_reviews_per_day", "0", 0),
        ("question_reviews_per_day", "9999", 9999),
    ],
)
def test_good_values_are_read(name, text, value):
    assert read_field(name, text, TODAY) == value


@pytest.mark.parametrize(
    ("name", "text", "words"),
    [
        ("next_day_starts_at", "24", "Use an hour from 0 to 23, e.g. 4 for 4 am"),
        ("next_day_starts_at", "4am", "Use an hour from 0 to 23"),
        ("next_day_starts_at", "-1", "Use an hour from 0 to 23"),
        ("next_day_starts_at", "", "Use an hour from 0 to 23"),
        ("question_reviews_per_day", "10000", "whole number from 0 to 9999, e.g. 50 (9999 means no limit)"),
        ("question_reviews_per_day", "many", "whole number from 0 to 9999"),
        ("question_reviews_per_day", "²", "whole number from 0 to 9999"),
    ],
)
def test_bad_values_say_what_to_type(name, text, words):
    with pytest.raises(FieldError) as caught:
        read_field(name, text, TODAY)
    assert words in str(caught.value)


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("next_day_starts_at", 24),
        ("next_day_starts_at", -1),
        ("next_day_starts_at", "4"),
        ("next_day_starts_at", True),
        ("next_day_starts_at", 4.5),
        ("question_reviews_per_day", -1),
        ("question_reviews_per_day", 10000),
        ("question_reviews_per_day", "50"),
        ("question_reviews_per_day", None),
    ],
)
def test_a_bad_stored_value_is_a_problem(key, value):
    assert setting_problem(key, value) is not None


def test_a_bad_stored_value_is_dropped_alone(tmp_path):
    coach = make_coach(tmp_path)
    coach.update_settings(new_cards_per_day=7, question_reviews_per_day=30)
    coach.store.set_setting("next_day_starts_at", 25)
    heard: list[str] = []
    settings = read_settings(coach.store, heard.append)
    assert settings.next_day_starts_at == 4 and settings.question_reviews_per_day == 30
    assert settings.new_cards_per_day == 7
    assert len(heard) == 1 and "next_day_starts_at" in heard[0] and "0 to 23" in heard[0]
