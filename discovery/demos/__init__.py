"""Steps of ``discover demo``, one module per engine.

Each module defines ``ORDER`` (an int; steps run in ascending order), ``TITLE`` and ``run(ctx) -> list[dict]``,
returning the conjecture records it produced.  ``ctx`` carries the store, the runner options and the seed.
"""
