"""Temporary passwords (pure)."""

import secrets

# No look-alike characters (0/O, 1/l/I), so a password read from an e-mail is typed right the first time.
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789"


def temporary_password_generate(groups: int = 4, group_length: int = 4) -> str:
    """A random password such as ``Kx7p-Qm3R-t9Zw-B2nd`` (about 92 bits of entropy with the defaults)."""
    while True:
        password = "-".join(
            "".join(secrets.choice(_ALPHABET) for _ in range(group_length)) for _ in range(groups)
        )
        if any(c.isdigit() for c in password) and any(c.isupper() for c in password):
            return password
