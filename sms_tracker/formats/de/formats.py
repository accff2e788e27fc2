# Django's own formats for the rest (they are read after these).
DATE_FORMAT = "j. M Y"  # 6. Nov. 2026
MONTH_DAY_FORMAT = "j. M"  # 6. Nov.
YEAR_MONTH_FORMAT = "M Y"  # Nov. 2026
