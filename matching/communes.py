"""The 19 communes of the Brussels-Capital Region and the distance between
them, for matching.

Each commune has a centre (latitude, longitude in degrees, WGS84): roughly
its town hall, read off public maps to about 0.005° (some 500 m), which is
enough to tell a neighbour from the far side of the Region. The distance
between two communes is the great-circle distance between their centres, in
kilometres (0 within one commune); across the Region it is at most about
15 km.
"""

import math

from django.db import models
from django.utils.translation import gettext_lazy as _


class Commune(models.TextChoices):
    """Codes are the communes' postcodes (the main one where there are several)."""

    ANDERLECHT = "1070", _("Anderlecht")
    AUDERGHEM = "1160", _("Auderghem")
    BERCHEM = "1082", _("Berchem-Sainte-Agathe")
    BRUSSELS = "1000", _("City of Brussels")
    ETTERBEEK = "1040", _("Etterbeek")
    EVERE = "1140", _("Evere")
    FOREST = "1190", _("Forest")
    GANSHOREN = "1083", _("Ganshoren")
    IXELLES = "1050", _("Ixelles")
    JETTE = "1090", _("Jette")
    KOEKELBERG = "1081", _("Koekelberg")
    MOLENBEEK = "1080", _("Molenbeek-Saint-Jean")
    SAINT_GILLES = "1060", _("Saint-Gilles")
    SAINT_JOSSE = "1210", _("Saint-Josse-ten-Noode")
    SCHAERBEEK = "1030", _("Schaerbeek")
    UCCLE = "1180", _("Uccle")
    WATERMAEL = "1170", _("Watermael-Boitsfort")
    WOLUWE_SAINT_LAMBERT = "1200", _("Woluwe-Saint-Lambert")
    WOLUWE_SAINT_PIERRE = "1150", _("Woluwe-Saint-Pierre")


# (latitude, longitude) of each commune's centre, degrees.
CENTRES = {
    Commune.ANDERLECHT: (50.8365, 4.3079),
    Commune.AUDERGHEM: (50.8157, 4.4266),
    Commune.BERCHEM: (50.8645, 4.2945),
    Commune.BRUSSELS: (50.8467, 4.3525),
    Commune.ETTERBEEK: (50.8365, 4.3869),
    Commune.EVERE: (50.8706, 4.4020),
    Commune.FOREST: (50.8108, 4.3190),
    Commune.GANSHOREN: (50.8710, 4.3160),
    Commune.IXELLES: (50.8295, 4.3735),
    Commune.JETTE: (50.8775, 4.3280),
    Commune.KOEKELBERG: (50.8620, 4.3285),
    Commune.MOLENBEEK: (50.8545, 4.3370),
    Commune.SAINT_GILLES: (50.8280, 4.3455),
    Commune.SAINT_JOSSE: (50.8530, 4.3735),
    Commune.SCHAERBEEK: (50.8675, 4.3780),
    Commune.UCCLE: (50.8020, 4.3375),
    Commune.WATERMAEL: (50.7995, 4.4150),
    Commune.WOLUWE_SAINT_LAMBERT: (50.8465, 4.4290),
    Commune.WOLUWE_SAINT_PIERRE: (50.8325, 4.4400),
}

EARTH_RADIUS_KM = 6371.0


def distance_km(commune_a, commune_b):
    """Kilometres between the centres of two communes (codes of ``Commune``),
    one decimal; ``None`` when either is unknown (blank or not in the Region)."""
    if commune_a not in CENTRES or commune_b not in CENTRES:
        return None
    (lat1, lon1), (lat2, lon2) = CENTRES[commune_a], CENTRES[commune_b]
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi, d_lambda = phi2 - phi1, math.radians(lon2 - lon1)
    # Haversine: exact enough at this scale, and no library needed.
    h = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return round(2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h)), 1)
