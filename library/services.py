"""Writes to the library's bilag after ingest (correct metadata, withdraw), and its people.

Each function is one transaction that writes the bilag, the copies its passages keep of
its metadata, the search index's outbox row for it, and a `BilagChange` row saying who
changed what from what.
Every write of a bilag goes through here (ingest through library.ingest.services),
the Django admin's included, so search, filters and facets follow every correction.
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from library.dates import DateError, PartialDate, parse_partial_date
from library.models import Bilag, BilagChange, Publisher, SearchOutbox
from library.roles import CASEWORKERS, LIBRARY_ADMINS

CORRECTABLE = ("country", "publisher", "title", "published", "intake", "language")


def _snapshot(bilag: Bilag) -> dict[str, str | None]:
    """The correctable fields as the history records them (plain strings)."""
    return {
        "country": bilag.country,
        "publisher": bilag.publisher.name if bilag.publisher else None,
        "title": bilag.title,
        "published": bilag.published_iso(),
        "intake": bilag.intake.isoformat() if bilag.intake else None,
        "language": bilag.language,
    }


@transaction.atomic
def bilag_update(*, bilag: Bilag, user=None, **changes) -> Bilag:
    """Correct a bilag's metadata (not its text, file or number), recording who did it.

    Accepts country, publisher (name or None), title, published (string or
    PartialDate), intake, language. Raises ValidationError naming the field. Nothing is
    written (and nothing recorded) when no value actually changes.
    """
    unknown = set(changes) - set(CORRECTABLE)
    if unknown:
        raise ValidationError(
            _("cannot change %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    before = _snapshot(bilag)
    if "publisher" in changes:
        name = " ".join((changes.pop("publisher") or "").split())
        bilag.publisher = Publisher.objects.get_or_create_named(name) if name else None
    if "published" in changes:
        value = changes.pop("published")
        if not isinstance(value, PartialDate):
            try:
                value = parse_partial_date(value)
            except DateError as exc:
                raise ValidationError({"published": str(exc)}) from exc
        bilag.published, bilag.published_precision = value.value, value.precision
    for key, value in changes.items():
        setattr(bilag, key, value)
    bilag.full_clean()
    after = _snapshot(bilag)
    changed = {key: [before[key], after[key]] for key in CORRECTABLE if before[key] != after[key]}
    if not changed:
        return bilag
    bilag.save()
    bilag.passages.update(**bilag.passage_copies())
    if "language" in changed:
        # Passages that had the bilag's language (inherited or detected alike) follow the
        # correction; a passage detected in another language (a quote) keeps its own.
        bilag.passages.filter(language=before["language"]).update(language=bilag.language)
    SearchOutbox.objects.queue_bilag([bilag.id])
    BilagChange.objects.create(
        bilag=bilag, user=user, action=BilagChange.Action.CORRECTED, changes=changed
    )
    return bilag


@transaction.atomic
def bilag_withdraw(*, bilag: Bilag, reason: str, on: dt.date | None = None, user=None) -> Bilag:
    """Withdraw a bilag: it stays in the library, marked, with date and reason."""
    if bilag.is_withdrawn:
        raise ValidationError(_("bilag %(n)s is already withdrawn"), params={"n": bilag.number})
    Bilag.validate_withdrawal_reason(reason)
    bilag.status = Bilag.Status.WITHDRAWN
    bilag.withdrawn_on = on or dt.date.today()
    bilag.withdrawn_reason = reason.strip()
    bilag.full_clean()
    bilag.save()
    bilag.passages.update(**bilag.passage_copies())
    SearchOutbox.objects.queue_bilag([bilag.id])
    BilagChange.objects.create(
        bilag=bilag,
        user=user,
        action=BilagChange.Action.WITHDRAWN,
        changes={
            "status": [Bilag.Status.CURRENT, Bilag.Status.WITHDRAWN],
            "withdrawn_on": [None, bilag.withdrawn_on.isoformat()],
            "withdrawn_reason": ["", bilag.withdrawn_reason],
        },
    )
    return bilag


@transaction.atomic
def publisher_save(*, publisher: Publisher, user=None) -> Publisher:
    """Add a publisher, or rename one. A rename changes the reference of every bilag
    that names it, so each of them gets a history row saying so."""
    before = None
    if publisher.pk is not None:
        before = Publisher.objects.get(pk=publisher.pk).name
    publisher.name = " ".join(publisher.name.split())
    publisher.full_clean()
    publisher.save()
    if before is not None and before != publisher.name:
        BilagChange.objects.bulk_create(
            BilagChange(
                bilag_id=bilag_id,
                user=user,
                action=BilagChange.Action.CORRECTED,
                changes={"publisher": [before, publisher.name]},
            )
            for bilag_id in publisher.bilag.values_list("id", flat=True)
        )
    return publisher


# --- people ------------------------------------------------------------------------------

# The roles an operator gives (manage.py user_add --role …): group, and whether the
# account may use the Django admin.
ROLES = {"caseworker": (CASEWORKERS, False), "library-admin": (LIBRARY_ADMINS, True)}


def _role(role: str) -> tuple[str, bool]:
    if role not in ROLES:
        raise ValidationError(
            _("unknown role '%(role)s' (roles: %(known)s)")
            % {"role": role, "known": ", ".join(ROLES)}
        )
    return ROLES[role]


@transaction.atomic
def user_add(*, username: str, role: str, password: str):
    """A new account with one role; the password must pass the board's validators."""
    group, staff = _role(role)
    User = get_user_model()
    username = username.strip()
    if not username:
        raise ValidationError(_("a user name is required"))
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(_("the user name '%(name)s' is taken") % {"name": username})
    user = User(username=username, is_staff=staff)
    user.full_clean(exclude=["password"])
    validate_password(password, user)
    user.set_password(password)
    user.save()
    user.groups.set([Group.objects.get(name=group)])
    return user


@transaction.atomic
def user_set_role(*, user, role: str):
    """The account's one role (caseworker or library-admin) instead of what it had."""
    group, staff = _role(role)
    user.is_staff = staff
    user.save(update_fields=["is_staff"])
    user.groups.set([Group.objects.get(name=group)])
    return user


def user_set_active(*, user, active: bool):
    """Disable (or enable again) an account: a disabled user cannot log in, and what
    they wrote stays theirs."""
    user.is_active = active
    user.save(update_fields=["is_active"])
    return user
