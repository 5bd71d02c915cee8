"""Operator accounts: who may sign in to the post, with which role, and the sign-in lockout (operators)."""
