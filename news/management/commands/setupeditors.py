"""Create or update the "Éditeurs" group with exactly the permissions editors need."""

import sys

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Q

EDITORS_GROUP = "Éditeurs"

# (app_label, model, actions): "add", "change", "delete", "view" or a custom codename.
# Editors write articles and their links, curate organisations, labels and aliases, import
# batches from the admin ("Importer un lot"), and read the reference and the import history.
# They cannot delete articles, territories, organisations or labels (the merge of duplicates
# is the only way an organisation goes), cannot create territories, and have no access to
# users and groups.
EDITOR_PERMISSIONS = [
    ("news", "article", ["add", "change", "view", "publish_article"]),
    ("news", "articleterritory", ["add", "change", "delete", "view"]),
    ("news", "articleorganisation", ["add", "change", "delete", "view"]),
    ("news", "articleindustrylabel", ["add", "change", "delete", "view"]),
    ("news", "articleperson", ["add", "change", "delete", "view"]),
    ("news", "linkrejection", ["view"]),
    ("news", "importrun", ["view", "import_batch"]),
    ("news", "importfileresult", ["view"]),
    ("news", "sourcedocument", ["view"]),
    ("territories", "territory", ["change", "view"]),
    ("territories", "territoryalias", ["add", "change", "delete", "view"]),
    ("territories", "organisation", ["add", "change", "view"]),
    ("territories", "organisationalias", ["add", "change", "delete", "view"]),
    ("territories", "industrylabel", ["add", "change", "view"]),
    ("territories", "person", ["change", "view"]),
    ("taggit", "tag", ["view"]),
]


def editor_permissions():
    """The Permission rows of the editors' group; fails if one is missing (migrate first)."""
    condition = Q(pk__in=[])
    wanted = set()
    for app_label, model, actions in EDITOR_PERMISSIONS:
        for action in actions:
            codename = action if "_" in action else f"{action}_{model}"
            wanted.add((app_label, codename))
            condition |= Q(content_type__app_label=app_label, codename=codename)
    permissions = list(Permission.objects.filter(condition).select_related("content_type"))
    found = {(perm.content_type.app_label, perm.codename) for perm in permissions}
    missing = sorted(wanted - found)
    if missing:
        names = ", ".join(f"{app}.{codename}" for app, codename in missing)
        raise CommandError(f"Missing permissions (run migrate first): {names}")
    return permissions


class Command(BaseCommand):
    help = (
        'Create or update the "Éditeurs" group with exactly the editors\' permissions '
        "(idempotent), and optionally add existing users to it as staff members."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "usernames",
            nargs="*",
            help="existing users to make staff members of the group",
        )
        parser.add_argument(
            "--create",
            action="store_true",
            help="create the users that do not exist yet (their password is asked on a "
            "terminal; otherwise set it with changepassword)",
        )

    @transaction.atomic
    def handle(self, *args, usernames, verbosity, create=False, **options):
        group, created = Group.objects.get_or_create(name=EDITORS_GROUP)
        permissions = editor_permissions()
        before = set(group.permissions.values_list("pk", flat=True))
        group.permissions.set(permissions)
        after = {perm.pk for perm in permissions}
        if verbosity:
            state = "created" if created else ("updated" if before != after else "unchanged")
            self.stdout.write(
                self.style.SUCCESS(
                    f'Group "{EDITORS_GROUP}" {state}: {len(permissions)} permissions.'
                )
            )
        users = get_user_model().objects
        created_users = []
        for username in usernames:
            try:
                user = users.get(**{users.model.USERNAME_FIELD: username})
            except users.model.DoesNotExist as error:
                if not create:
                    raise CommandError(
                        f"No user named {username!r} (--create creates it)."
                    ) from error
                # No usable password until one is set: the account cannot log in before.
                user = users.create_user(**{users.model.USERNAME_FIELD: username})
                created_users.append(username)
            if not user.is_staff:
                user.is_staff = True
                user.save(update_fields=["is_staff"])
            user.groups.add(group)
            if verbosity:
                self.stdout.write(self.style.SUCCESS(f"{username} is now an editor."))
        for username in created_users:
            transaction.on_commit(lambda username=username: self.set_password(username))

    def set_password(self, username: str) -> None:
        if sys.stdin.isatty():
            call_command("changepassword", username)
        else:
            self.stdout.write(
                self.style.WARNING(
                    f"{username} has no password yet: python manage.py changepassword {username}"
                )
            )
