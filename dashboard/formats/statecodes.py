"""Correlates of War state numbers (used by ATOP and COW) to registry ids (ISO 3166-1 alpha-3).

country_converter (coco) carries Gleditsch-Ward numbers, which equal COW numbers for almost
every state; `OVERRIDES` holds the documented exceptions and the predecessor states this project
files under their successor. States with no ISO code today (Bavaria, Austria-Hungary, the
Papal States...) map to nothing, and their treaty memberships are skipped and counted.
"""

from __future__ import annotations

from functools import lru_cache

from dashboard.registry import ActorKind, Registry

OVERRIDES: dict[int, str | None] = {
    255: "DEU",   # Germany (Prussia before 1871); GW gives unified Germany 260
    260: "DEU",   # German Federal Republic, continued by Germany in 1990
    265: None,    # German Democratic Republic: no successor code
    300: None,    # Austria-Hungary (Austria is 305)
    316: "CZE",   # Czech Republic (GW keeps 315 for it)
    345: "SRB",   # Yugoslavia, then Serbia and Montenegro, then Serbia (GW: 340 Serbia)
    678: "YEM",   # Yemen Arab Republic, continued by Yemen in 1990
    679: "YEM",   # Yemen (GW keeps 678)
    680: None,    # South Yemen (GW's 680 is what coco files under Yemen)
    816: "VNM",   # Vietnam (GW 816 is the DRV; coco files Vietnam under 817)
    817: None,    # Republic of Vietnam (South Vietnam)
    946: "KIR",   # Kiribati (GW 970)
    947: "TUV",   # Tuvalu (GW 973)
    955: "TON",   # Tonga (GW 972)
    970: "NRU",   # Nauru (GW 971; GW's 970 is Kiribati)
}


@lru_cache(maxsize=1)
def _gleditsch_ward() -> dict[int, str]:
    import country_converter as coco
    import pandas as pd
    from country_converter.country_converter import COUNTRY_DATA_FILE

    # coco's own loader reads Namibia's ISO2 code "NA" as missing under pandas 3 and then
    # fails; reading its bundled table as plain strings avoids that and works offline.
    table = pd.read_csv(COUNTRY_DATA_FILE, sep="\t", encoding="utf-8", dtype=str,
                        keep_default_na=False, na_values=[""])
    converter = coco.CountryConverter(country_data=table)
    pairs = converter.data[["GWcode", "ISO3"]].dropna()
    return {int(gw): iso3 for gw, iso3 in pairs.itertuples(index=False)}


def iso3(number: int, registry: Registry | None = None) -> str | None:
    """The registry id of COW state `number`, or None."""
    code = OVERRIDES[number] if number in OVERRIDES else _gleditsch_ward().get(number)
    if code is None:
        return None
    registry = registry or Registry.load()
    actor = registry.actors.get(code)
    return code if actor is not None and actor.kind is ActorKind.STATE else None
