"""``mmx demo``: a local Gradio app for rendered-text inference.

Three tabs: **Render** (text in any script to pixels, with token figures, OCR
read-back and seeded noise), **Read** (a model reads the rendered text: the tiny
reader offline, or any VLM given with ``--model``) and **Scorecard** (generate a
scorecard, ask a question, compare the model's answer with the ground truth).

:mod:`mmx.demo.logic` holds the work as plain functions (no Gradio import);
:mod:`mmx.demo.models` loads the models once at start-up; :mod:`mmx.demo.app`
builds the Gradio Blocks around them. Nothing else in mmx imports this package.
"""
