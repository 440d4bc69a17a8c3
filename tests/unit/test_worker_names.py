"""Names typed in Devanagari found among names stored in Latin letters."""

from __future__ import annotations

import pytest

from app.workers.names import sounds_alike
from matching.transliteration import romanise, sound_key


@pytest.mark.parametrize(
    ("typed", "stored", "alike"),
    [
        ("सुतार", "Sutar", True),
        ("दिपाली", "Deepali", True),
        ("गायकवाड", "Gaikwad", True),
        ("जाधव", "Jadhav", True),
        ("पाटील", "Patil", True),
        ("सुनी", "Sunita", True),  # the start of a name
        ("सुनीता", "Sunil", False),
        ("पाटील", "Kale", False),
    ],
)
def test_a_name_typed_in_devanagari_sounds_like_its_latin_spelling(typed, stored, alike):
    assert sounds_alike(sound_key(romanise(typed)), sound_key(stored.lower())) is alike
