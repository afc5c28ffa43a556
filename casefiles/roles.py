"""The case-file permissions of the library's two roles (granted by migration 0002).

Membership of a case is what opens it: these permissions only let a user work on the
cases they are a member of.
"""

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
# Granted by migration 0003 (the model arrives after 0002).
LOGIN_EVENT_LIBRARY_ADMIN_PERMISSIONS = [("casefiles", "view_loginevent")]
