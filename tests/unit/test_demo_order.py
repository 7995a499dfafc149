"""The demo's builders run in their declared order, whatever order their modules were imported in.

A test module that imported the panels builder before the households one used to reorder the demo (panels
before households), which left the demo with no recommendation waiting for a decision.
"""

import subprocess
import sys

SCRIPT = """
import carertrack.panels.demo  # the panels builder's module first, as a test module might
import carertrack.seed.builders
from carertrack.seed.demo import BUILDERS
print([f.__module__ for _, f in sorted(BUILDERS, key=lambda entry: entry[0])])
"""


def test_builders_run_cases_then_households_then_panels_whatever_the_import_order():
    out = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['carertrack.cases.demo', 'carertrack.households.demo', 'carertrack.panels.demo']"
