"""Packed string arrays survive the round trip, including the empty list (a taxonomy with no
alternative labels at all)."""

from __future__ import annotations

import pytest

from matching.vector_cache import pack_strings, unpack_strings


@pytest.mark.parametrize("strings", [[], [""], ["a", "", "ṭhīk", "TIG welding"]])
def test_round_trip(strings):
    assert unpack_strings(*pack_strings(strings)) == strings
