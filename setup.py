"""The one thing pyproject.toml cannot declare without an experimental table: the C extension.

``optional=True``: where no C compiler is found the install goes on without it, and
cleantext uses its pure-Python fallback (ahocorasick-rs and sets), which gives the same
answers more slowly.
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension("cleantext._tokenset", ["src/cleantext/_tokenset.c"], optional=True),
    ]
)
