"""Users, profiles, roles and sign-in rules (allowed domains, admin MFA)."""
