# Django's own formats for the rest (they are read after these).
DATE_FORMAT = "Y年n月j日"  # 2026年11月6日
MONTH_DAY_FORMAT = "n月j日"  # 11月6日
YEAR_MONTH_FORMAT = "Y年n月"  # 2026年11月
