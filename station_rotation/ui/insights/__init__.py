"""The Insights page: class heat map, student timelines, trends, groups, private notes."""
