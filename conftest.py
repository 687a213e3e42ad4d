import os

# The suite always runs with test settings (cheap Argon2), even when pytest is called directly.
os.environ.setdefault("SAFEPASSAGE_ENV", "test")
