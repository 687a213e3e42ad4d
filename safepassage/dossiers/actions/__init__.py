"""Every state change of the dossiers app: each asks the access policy, changes data in one
transaction and writes its audit event (codes and ids only)."""
