"""Tags, shared by the importer and the editors' actions."""

from taggit.models import Tag


def tag_get_or_create(*, name: str) -> Tag:
    """The tag of that name whatever its case ("industrie" is "Industrie"), created if new."""
    return Tag.objects.filter(name__iexact=name).first() or Tag.objects.create(name=name)
