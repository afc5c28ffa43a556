"""The two roles, as Django groups created by a migration.

Caseworkers read the library (and, later, work on their cases). Library admins also
ingest, correct metadata and withdraw. Views check permissions, never group names, so
an admin can grant a single permission to a single user if the board needs it.
"""

CASEWORKERS = "caseworkers"
LIBRARY_ADMINS = "library admins"

CASEWORKER_PERMISSIONS = [
    ("library", "view_bilag"),
    ("library", "view_publisher"),
    ("library", "view_passage"),
]
LIBRARY_ADMIN_PERMISSIONS = [
    *CASEWORKER_PERMISSIONS,
    ("library", "ingest_bilag"),
    ("library", "change_bilag"),
    ("library", "withdraw_bilag"),
    ("library", "add_publisher"),
    ("library", "change_publisher"),
]


def is_library_admin(user) -> bool:
    return user.is_authenticated and user.has_perm("library.ingest_bilag")
