"""`ropa demo`: a generated export drop modelled on the reference privacy policy.

The drop plants at least one failing subject for every audit check, next to near-misses that
must pass, and can write the exact findings it was built to produce (`--truth`).
"""
