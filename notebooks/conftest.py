"""nbval settings for the chapter notebooks (`make test` runs them with --nbval-lax).

Only cells tagged ``nbval-check-output`` are compared, and only their plain-text output: the HTML
of tables and charts, and the kernel's stderr, are not part of a chapter's headline figures.
"""


def pytest_collectstart(collector):
    if collector.fspath and collector.fspath.ext == ".ipynb":
        collector.skip_compare += ("text/html", "application/javascript", "stderr")
