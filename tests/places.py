"""Named places of the official reference for the public-site tests (a real hierarchy)."""

from dataclasses import dataclass

from territories.models import IndustryLabel, LabelPhase, Territory, TerritoryKind
from tests.factories import territory


@dataclass
class Places:
    region: Territory  # Hauts-de-France
    departement: Territory  # Pas-de-Calais
    epci: Territory  # CA de Béthune-Bruay, Artois-Lys Romane
    commune: Territory  # Béthune, in that EPCI
    neighbour: Territory  # Bruay-la-Buissière, same EPCI
    other_epci_commune: Territory  # Lens, same département, another EPCI
    cross_epci: Territory  # CC Flandre Lys: mainly in the Nord, partly in the Pas-de-Calais
    other_region_commune: Territory  # Lyon
    label: IndustryLabel  # Béthune-Bruay (ti-3204, first phase), whose member is the EPCI


def reference_places() -> Places:
    commune = territory("62119")
    return Places(
        region=territory("32", TerritoryKind.REGION),
        departement=territory("62", TerritoryKind.DEPARTEMENT),
        epci=commune.epci,
        commune=commune,
        neighbour=territory("62178"),
        other_epci_commune=territory("62498"),
        cross_epci=territory("245900758", TerritoryKind.EPCI),
        other_region_commune=territory("69123"),
        label=IndustryLabel.objects.get(code="ti-3204", phase=LabelPhase.FIRST),
    )
