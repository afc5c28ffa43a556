"""Caseworker accounts for the benchmarks that request pages as a logged-in user.

A user in the `caseworkers` group (library.roles.CASEWORKERS, made by the migrations)
with no usable password: the benchmarks log in with Django's test client's
`force_login`, so no password is hashed (Django's PBKDF2 takes a good part of a second
per user, which adds up over case_bench's 201 users).
"""


def caseworker(username: str):
    """The user `username`, created if missing, in the caseworkers group and that only."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from library.roles import CASEWORKERS

    user_model = get_user_model()
    user = user_model.objects.filter(username=username).first()
    if user is None:
        user = user_model.objects.create_user(username=username)  # unusable password
    user.groups.set([Group.objects.get(name=CASEWORKERS)])
    return user
