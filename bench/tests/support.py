"""Small helpers of the tests."""


def read(path):
    with open(path, errors="replace") as f:
        return f.read()


def script(path):
    """A bench script (say "aot/measure.py") loaded as a module, without running its main()."""
    import importlib.util
    import os
    full = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), path)
    spec = importlib.util.spec_from_file_location("bench_" + path.replace("/", "_").replace(".py", ""), full)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
