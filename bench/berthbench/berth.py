"""Berth's command line as the benchmarks start it: on loopback, on one port, with no fallback port."""

from berthbench import HOST


def command(jar, port, *flags, war=None, java="java", jvm=()):
    """java [jvm] -jar jar --host=127.0.0.1 --port=PORT --fallback-ports= [flags] [war]; port may be a placeholder
    such as "PORT" for a command shown in a report."""
    return ([java] + list(jvm) + ["-jar", jar, "--host=" + HOST, "--port=%s" % port, "--fallback-ports="] + list(flags)
            + ([war] if war else []))
