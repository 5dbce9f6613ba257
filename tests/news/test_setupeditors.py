"""The "Éditeurs" group and its command."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from news.management.commands.setupeditors import EDITORS_GROUP
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def group_permissions() -> set[str]:
    group = Group.objects.get(name=EDITORS_GROUP)
    return {
        f"{app}.{codename}"
        for app, codename in group.permissions.values_list("content_type__app_label", "codename")
    }


def test_setupeditors_grants_exactly_what_editors_need(capsys):
    call_command("setupeditors")
    assert 'Group "Éditeurs" created' in capsys.readouterr().out
    permissions = group_permissions()
    assert {
        "news.add_article",
        "news.change_article",
        "news.publish_article",
        "news.view_importrun",
        "territories.change_territory",
        "territories.add_organisation",
        "territories.change_organisation",
        "territories.add_industrylabel",
        "territories.change_industrylabel",
        "territories.add_territoryalias",
        "territories.change_person",
    } <= permissions
    forbidden = {
        "news.delete_article",
        "news.change_importrun",
        "news.delete_importrun",
        "territories.add_territory",
        "territories.delete_territory",
        "territories.delete_organisation",
        "territories.delete_industrylabel",
    }
    assert not forbidden & permissions
    assert not any(perm.startswith(("auth.", "admin.", "sessions.")) for perm in permissions)


def test_setupeditors_is_idempotent_and_restores_the_permissions(capsys):
    call_command("setupeditors")
    expected = group_permissions()
    group = Group.objects.get(name=EDITORS_GROUP)
    group.permissions.remove(group.permissions.first())
    call_command("setupeditors")
    assert "updated" in capsys.readouterr().out
    call_command("setupeditors")
    assert "unchanged" in capsys.readouterr().out
    assert group_permissions() == expected
    assert Group.objects.filter(name=EDITORS_GROUP).count() == 1


def test_setupeditors_makes_named_users_staff_editors():
    user = make_user("claire")
    call_command("setupeditors", "claire", verbosity=0)
    user.refresh_from_db()
    assert user.is_staff and not user.is_superuser
    assert user.groups.filter(name=EDITORS_GROUP).exists()
    assert user.has_perm("news.publish_article")
    assert not user.has_perm("auth.change_user")
    with pytest.raises(CommandError):
        call_command("setupeditors", "nobody", verbosity=0)


def test_setupeditors_create_makes_a_missing_user_an_editor_without_a_password(
    capsys, django_capture_on_commit_callbacks
):
    from django.contrib.auth import get_user_model

    # The password is asked once the account is committed (here: no terminal, a hint).
    with django_capture_on_commit_callbacks(execute=True):
        call_command("setupeditors", "--create", "claire")

    claire = get_user_model().objects.get(username="claire")
    assert claire.is_staff
    assert not claire.has_usable_password()
    assert claire.groups.filter(name=EDITORS_GROUP).exists()
    assert "changepassword claire" in capsys.readouterr().out
    # Existing accounts are kept as they are.
    existing = make_user("martin")
    call_command("setupeditors", "--create", "martin")
    existing.refresh_from_db()
    assert existing.has_usable_password()
    assert existing.is_staff


def test_setupeditors_without_create_refuses_an_unknown_user():
    with pytest.raises(CommandError, match="--create"):
        call_command("setupeditors", "personne")
