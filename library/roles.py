"""The two roles, as Django groups created by a migration.

Caseworkers read the library and work on the cases they are members of. Library admins also
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


def is_library_admin(user) -> bool:
    return user.is_authenticated and user.has_perm("library.ingest_bilag")


# Granted by casefiles migration 0002. Membership of a case is what opens it: these
# permissions only let a user work on the cases they are a member of.
CASE_CASEWORKER_PERMISSIONS = [
    ("casefiles", "view_case"),
    ("casefiles", "add_case"),
    ("casefiles", "change_case"),
    ("casefiles", "view_note"),
    ("casefiles", "add_note"),
    ("casefiles", "change_note"),
    ("casefiles", "view_citation"),
    ("casefiles", "add_citation"),
    ("casefiles", "change_citation"),
]
CASE_LIBRARY_ADMIN_PERMISSIONS = [
    *CASE_CASEWORKER_PERMISSIONS,
    ("casefiles", "view_auditentry"),
]
