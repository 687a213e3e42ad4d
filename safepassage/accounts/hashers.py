from django.contrib.auth.hashers import Argon2PasswordHasher


class CheapArgon2PasswordHasher(Argon2PasswordHasher):
    """Test settings only: the smallest Argon2id cost so the suite runs fast."""

    time_cost = 1
    memory_cost = 8
    parallelism = 1
