"""Regenerate every bundled table in factors/ from ../shared/data (deterministic).

Usage: python scripts/build_factors.py
"""

from __future__ import annotations

import import_ademe
import import_desnz
import import_epa_hub
import import_gwp
import import_mee
import import_poore_nemecek
import import_rates
import import_scarborough
import import_useeio


def main() -> None:
    import_desnz.main([])
    import_mee.main([])
    import_epa_hub.main([])
    import_ademe.main()
    import_scarborough.main()
    import_poore_nemecek.main()
    for version in sorted(import_useeio.VERSIONS):
        import_useeio.build(version)
    import_rates.main()
    import_gwp.main()


if __name__ == "__main__":
    main()
