"""Wagtail content: taxonomy, page models, StreamField blocks and template tags."""
