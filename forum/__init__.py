"""The discussion forum (categories, threads, posts, notifications, moderation).

Built in its own issue; the package exists so the top-level layout is complete.
"""
