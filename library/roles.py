"""The two roles, as Django groups created by a migration, and the library's permissions.

Caseworkers read the library and tag passages. Library admins also ingest, correct
metadata, withdraw and manage topics. Views check permissions, never group names, so an
admin can grant a single permission to a single user if the board needs it. Apps built
on the library give the same groups their own permissions (in their own roles module).
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


# Granted by migration 0008 (the topic models arrive after 0002).
TOPIC_CASEWORKER_PERMISSIONS = [
    ("library", "view_topic"),
    ("library", "view_passagetopic"),
    ("library", "add_passagetopic"),
    ("library", "review_passagetopic"),
]
TOPIC_LIBRARY_ADMIN_PERMISSIONS = [
    *TOPIC_CASEWORKER_PERMISSIONS,
    ("library", "add_topic"),
    ("library", "change_topic"),
]


def grant(apps, grants) -> None:
    """In a migration: give groups (created if missing) permissions, creating those first.

    Permissions are normally created after all migrations ran; they are created here so
    the groups can be given theirs in the same migration.
    """
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, permissions in grants:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *[
                Permission.objects.get(content_type__app_label=app, codename=codename)
                for app, codename in permissions
            ]
        )


# Granted by migration 0009: library admins read the library's history.
HISTORY_LIBRARY_ADMIN_PERMISSIONS = [("library", "view_bilagchange")]
