"""The editor's review UI (`cleantext review`): the only package that imports Textual.

``state``, ``anchor``, ``learn`` and ``diffview`` are plain Python (tests use them without a
terminal); ``app`` builds the Textual app from review states, ``serve`` puts it in a
browser tab. Importing this package imports none of them.
"""
