"""The demo's tabs, one module each, assembled in page order by :data:`mmx.demo.app.TABS`.

A tab module holds its work as plain functions (no Gradio at import time: views take
plain values and return PIL images, dicts and strings, raising
:class:`~mmx.errors.InputError` for input they cannot use) and a
``build(models, server)`` that adds its ``gr.Tab`` to the Blocks being built, running
its work through ``server.run`` (:class:`mmx.demo.inputs.Server`), and ``TITLE`` and
``SUMMARY`` (its name and one line for the page header). It may define ``CSS`` for its
elements. A new tab is a module here plus its entry in ``TABS`` and its title in
:data:`mmx.demo.TAB_TITLES` (which ``mmx --help`` reads without importing the tabs).
"""
