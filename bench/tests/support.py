"""Small helpers of the tests."""


def read(path):
    with open(path, errors="replace") as f:
        return f.read()
