"""Many workspaces: OAuth installs, encrypted tokens, per-workspace clients, uninstall and purge."""
