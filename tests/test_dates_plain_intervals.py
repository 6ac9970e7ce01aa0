"""An interval whose ends are real plain dates (or open, '..') is parsed without the edtf library,
whose import (pyparsing's grammar) cost a read of the shipped dataset 0.2 s. That is only right
if the library accepts every such interval: this holds it to that, on generated dates."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from claimtrack import dates

PLAIN = st.builds(lambda d, cut: d.isoformat()[:cut], st.dates(dt.date(1000, 1, 1), dt.date(9999, 12, 31)),
                  st.sampled_from([4, 7, 10]))
END = st.one_of(PLAIN, st.just(".."))


@settings(max_examples=300, deadline=None)
@given(start=END, end=END)
def test_the_library_accepts_every_interval_of_plain_dates(start, end):
    text = f"{start}/{end}"
    try:
        span = dates.parse(text)
    except dates.DateError:
        return  # refused by claimtrack's own rules (no bound at all, ends before it starts)
    dates._edtf(text)  # raises DateError if the library does not read it as EDTF
    assert span.text == text


def test_an_interval_of_plain_dates_does_not_import_the_library():
    import subprocess
    import sys

    code = "import sys; from claimtrack import dates; dates.parse('../2014-07-24'); dates.parse('2014-07-01/2014-07-23'); print('edtf' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "False\n"
