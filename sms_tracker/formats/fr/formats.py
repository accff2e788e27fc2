# Django's own formats for the rest (they are read after these).
DATE_FORMAT = "j M Y"  # 6 nov. 2026
MONTH_DAY_FORMAT = "j M"  # 6 nov.
YEAR_MONTH_FORMAT = "M Y"  # nov. 2026
