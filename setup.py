"""Only for the optional C accelerator of record-id hashing; everything else is in pyproject.toml.

Where it cannot be built (no compiler or OpenSSL headers) the install goes on and the loader
hashes ids in SQL instead, more slowly.
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "pipelines.lib._hmac_sha256",
            ["pipelines/lib/_hmac_sha256.c"],
            libraries=["crypto"],
            optional=True,
        )
    ]
)
