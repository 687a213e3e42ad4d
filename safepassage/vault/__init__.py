"""The vault: keys, sealing and field encryption. The only package that imports PyNaCl.

Nothing here imports Django views, forms or templates.
"""
