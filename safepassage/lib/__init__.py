"""Helpers that know no application: file types, encrypted file storage, the form-view shape,
response headers, the urgency levels. The lowest layer after the vault; it imports no app."""
