import unittest

from berthbench import stats


class StatsTest(unittest.TestCase):

    def test_median_leaves_out_missing_values(self):
        self.assertEqual(2, stats.median([3, None, 1, 2]))
        self.assertEqual(2.5, stats.median([4, 1, 2, 3]))
        self.assertIsNone(stats.median([None, None]))

    def test_spread_is_median_min_max_and_count(self):
        self.assertEqual({"median": 20, "min": 10, "max": 90, "n": 3}, stats.spread([90, None, 10, 20]))
        self.assertIsNone(stats.spread([]))

    def test_ratio_is_of_the_medians(self):
        self.assertAlmostEqual(1.5, stats.ratio(stats.spread([3, 30, 0]), stats.spread([2, 1, 100])))
        self.assertIsNone(stats.ratio(stats.spread([1]), None))
        self.assertIsNone(stats.ratio(stats.spread([1]), stats.spread([0])))

    def test_paired_ratios_use_only_rounds_that_have_both_sides(self):
        rounds = [{"a": 110, "b": 100}, {"a": 240, "b": 200}, {"a": 50}, {"a": 30, "b": 0}]
        self.assertEqual({"median": 1.15, "min": 1.1, "max": 1.2, "n": 2},
                         {k: round(v, 6) for k, v in stats.paired(rounds, "a", "b").items()})

    def test_percentile_is_the_nearest_rank(self):
        values = list(range(1, 2001))
        self.assertEqual(1980, stats.percentile(values, 99))
        self.assertEqual(1000, stats.percentile(values, 50))
        self.assertEqual(2000, stats.percentile(values, 100))
        self.assertEqual(7, stats.percentile([7], 99))
        self.assertIsNone(stats.percentile([], 99))


if __name__ == "__main__":
    unittest.main()
