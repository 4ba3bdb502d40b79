"""The ecosystem check's comparison: what passes and what fails CI (python3 -m unittest bench/ecosystem/test_check.py)."""
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check  # noqa: E402

A = ("pkg-1.0", "a.py", 3, "py/x")
B = ("pkg-1.0", "b.py", 7, "py/x")
C = ("pkg-1.0", "c.py", 9, "py/y")


class Compare(unittest.TestCase):
    def verdicts(self, text):
        with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False) as f:
            f.write("package\tpath\tline\trule\tverdict\treason\n# a comment\n" + text)
        try:
            return check.read_verdicts(f.name)
        finally:
            os.unlink(f.name)

    def test_counts_and_precision_per_rule(self):
        v, problems = self.verdicts("pkg-1.0\ta.py\t3\tpy/x\tTP\tr\npkg-1.0\tb.py\t7\tpy/x\tFP\tr\n")
        per_rule, unjudged, lost, missed, fixed = check.compare({A: ("m", "c"), B: ("m", "c"), C: ("m", "c")}, v)
        self.assertEqual(problems, [])
        self.assertEqual((per_rule["py/x"]["TP"], per_rule["py/x"]["FP"]), (1, 1))
        self.assertEqual(unjudged, [C])
        self.assertEqual(check.precision(1, 1), "0.50")

    def test_a_lost_tp_fails_and_a_tp_missed_does_not(self):
        v, _ = self.verdicts("pkg-1.0\ta.py\t3\tpy/x\tTP\tr\npkg-1.0\tb.py\t7\tpy/x\tTP-missed\tknown: needs the index\n")
        _, unjudged, lost, missed, _ = check.compare({}, v)
        self.assertEqual((lost, missed, unjudged), ([A], [B], []))

    def test_a_fixed_fp_passes(self):
        v, _ = self.verdicts("pkg-1.0\ta.py\t3\tpy/x\tFP\tdaemon poller\n")
        _, unjudged, lost, _, fixed = check.compare({}, v)
        self.assertEqual((fixed, lost, unjudged), ([A], [], []))

    def test_bad_lines_are_reported(self):
        _, problems = self.verdicts("pkg-1.0\ta.py\tx\tpy/x\tTP\tr\npkg-1.0\ta.py\t3\tpy/x\tmaybe\tr\npkg-1.0\ta.py\t3\tpy/x\tTP\t\n")
        self.assertEqual(len(problems), 3)


if __name__ == "__main__":
    unittest.main()
