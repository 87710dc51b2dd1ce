"""The annual dissemination conference (spridningskonferens): programme, registration with
capacity and a fair waiting list, call for good examples, organiser tools."""
