"""The rule list reads as a clinic manager would say it: the questions' wording, windows in months or weeks."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_rule_list_shows_the_questions_wording_and_windows_in_words(admin_client):
    page = admin_client.get(reverse("rules:list")).content.decode()
    row = re.search(r'<tr id="rule-ISOTRETINOIN">(.*?)</tr>', page, re.S).group(1)
    assert "within 6 months before the appointment" in row
    assert "183 days" not in row and "isotretinoin_last_taken" not in row
    assert "sotretinoin" in row  # the question as patients read it
    toxin = re.search(r'<tr id="rule-TOXIN_RECENT">(.*?)</tr>', page, re.S) or re.search(
        r'<tr id="rule-[A-Z_]*TOXIN[A-Z_]*">(.*?)</tr>', page, re.S)
    assert toxin and "within 2 weeks before the appointment" in toxin.group(1)
