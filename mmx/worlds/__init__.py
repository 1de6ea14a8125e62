"""What training and evaluation share, below both: worlds, judges and prompt generators.

- :mod:`mmx.worlds.geneval`: GenEval's verdict on one image (``judge(metadata, detections)``)
  and its vocabulary (tags, colours, relations);
- :mod:`mmx.worlds.shapes`: the shapes world, GenEval's offline twin: a procedural drawer
  (with planted errors and canonical layouts) and its exact detector;
- :mod:`mmx.worlds.prompts`: GenEval's 553 prompt specs and their rendering in many
  languages and variants (m-GenEval).

The GenEval bench (``mmx eval --bench geneval``) scores with them and the text-to-image
recipe (:mod:`mmx.systems.t2i`) trains and validates on them; neither imports the other.
Modules here import nothing of mmx but :mod:`mmx.errors` (the package-order test holds them
to it).
"""
