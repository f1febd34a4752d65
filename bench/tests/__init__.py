"""Unit tests of bench/ (standard library unittest): python3 -m unittest discover -s bench/tests -t bench"""
