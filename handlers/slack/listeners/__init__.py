"""Bolt listeners, one package per request kind (commands, actions, views, shortcuts, events)."""
