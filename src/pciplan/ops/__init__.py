"""Running pciplan: request ids and structured logs, backups, file downloads (Django, no external binary)."""
