"""Applications and invitations: the path from a match to a hire (and the placement it creates)."""
