"""Search across pages, forum threads and conference sessions."""
